package ca.cmp.hub.connectors.hsds;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.csv.CsvTable;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.connectors.source.SourceText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An HSDS tabular data package: a folder or a zip (a file in an import directory, or a URL) of CSVs described by
 * {@code datapackage.json}. Tables are found by resource name in the descriptor, else by their usual file names,
 * in HSDS 3.0 ({@code addresses.csv}, {@code attributes.csv} + {@code taxonomy_terms.csv},
 * {@code cost_options.csv}) or 1.1 ({@code physical_addresses.csv}, {@code services_taxonomy.csv} +
 * {@code taxonomy.csv}, {@code eligibility.csv}) naming. Each service is assembled into the nested 3.0 form and
 * mapped like an API service; HSDS 1.1 has no age fields, so ages are read from eligibility text such as
 * "youth ages 12-18" when it states them. A package is always a full snapshot.
 */
public final class HsdsPackageConnector implements Connector {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern AGES = Pattern.compile("(\\d{1,2})\\s*(?:-|–|to|à)\\s*(\\d{1,2})");
    private static final int MAX_ZIP_ENTRIES = 200;

    private final String location;
    private final SourceFetcher fetcher;
    private final HsdsServiceMapper mapper;

    public HsdsPackageConnector(String location, FieldMapping mapping, SourceFetcher fetcher,
            FsaCentroids postalCodes) {
        this.location = location;
        this.fetcher = fetcher;
        this.mapper = new HsdsServiceMapper(mapping, postalCodes);
    }

    @Override
    public SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException {
        Map<String, byte[]> files = files();
        return assemble(files, progress);
    }

    /** The package's files by name (lower case, without folders). */
    private Map<String, byte[]> files() throws ConnectorException {
        if (!SourceFetcher.isUrl(location)) {
            Path path = fetcher.file(location);
            if (Files.isDirectory(path)) {
                Map<String, byte[]> files = new HashMap<>();
                long total = 0;
                try (Stream<Path> list = Files.list(path)) {
                    for (Path file : list.filter(Files::isRegularFile).toList()) {
                        total += Files.size(file);
                        if (total > fetcher.limits().maxBytes()) {
                            throw new ConnectorException("the package " + location + " is larger than the limit of "
                                    + fetcher.limits().maxBytes() + " bytes", false);
                        }
                        files.put(file.getFileName().toString().toLowerCase(Locale.ROOT), Files.readAllBytes(file));
                    }
                } catch (IOException e) {
                    throw new ConnectorException("cannot read the package folder " + location + " ("
                            + e.getClass().getSimpleName() + ")",
                            false, e);
                }
                return files;
            }
        }
        return unzip(fetcher.fetch(location));
    }

    private Map<String, byte[]> unzip(byte[] zip) throws ConnectorException {
        Map<String, byte[]> files = new HashMap<>();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES) {
                    throw new ConnectorException("the package zip has more than " + MAX_ZIP_ENTRIES + " entries",
                            false);
                }
                if (entry.isDirectory()) {
                    continue;
                }
                // Read with a running limit: the sizes a zip declares can lie (zip bombs).
                byte[] buffer = new byte[64 * 1024];
                var out = new java.io.ByteArrayOutputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > fetcher.limits().maxBytes()) {
                        throw new ConnectorException("the package zip unpacks to more than the limit of "
                                + fetcher.limits().maxBytes() + " bytes", false);
                    }
                    out.write(buffer, 0, n);
                }
                String name = entry.getName();
                name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                files.put(name, out.toByteArray());
            }
        } catch (IOException e) {
            throw new ConnectorException("the package is neither a folder nor a readable zip: " + e.getMessage(),
                    false, e);
        }
        if (files.isEmpty()) {
            throw new ConnectorException("the package is neither a folder nor a readable zip (no entries)", false);
        }
        return files;
    }

    /** Assembles and maps the services of a package's files (by lower-case file name). */
    SourceBatch assemble(Map<String, byte[]> files, IntConsumer progress) throws ConnectorException {
        Map<String, String> paths = resourcePaths(files);
        Table services = table(files, paths, "service", "services.csv");
        if (services == null) {
            throw new ConnectorException("the package has no services table (services.csv); files: "
                    + files.keySet(), false);
        }
        Table organizations = table(files, paths, "organization", "organizations.csv");
        Table locations = table(files, paths, "location", "locations.csv");
        Table links = table(files, paths, "service_at_location", "service_at_location.csv",
                "services_at_location.csv");
        Table addresses = table(files, paths, "address", "addresses.csv");
        if (addresses == null) {
            addresses = table(files, paths, "physical_address", "physical_addresses.csv");
        }
        Table languages = table(files, paths, "language", "languages.csv");
        Table areas = table(files, paths, "service_area", "service_areas.csv");
        Table costs = table(files, paths, "cost_option", "cost_options.csv");
        Table capacities = table(files, paths, "service_capacity", "service_capacity.csv");
        Table eligibility = table(files, paths, "eligibility", "eligibility.csv");
        Table attributes = table(files, paths, "attribute", "attributes.csv");
        Table terms = table(files, paths, "taxonomy_term", "taxonomy_terms.csv");
        Table serviceTaxonomy = table(files, paths, "service_taxonomy", "services_taxonomy.csv");
        Table taxonomy = table(files, paths, "taxonomy", "taxonomy.csv");

        Map<String, ObjectNode> organizationById = index(organizations, "id");
        Map<String, ObjectNode> locationById = index(locations, "id");
        for (ObjectNode address : all(addresses)) {
            ObjectNode location = locationById.get(HsdsServiceMapper.text(address, "location_id"));
            if (location != null) {
                address.putIfAbsent("address_type", JSON.getNodeFactory().stringNode("physical"));
                array(location, "addresses").add(address);
            }
        }
        Map<String, ObjectNode> termById = index(terms != null ? terms : taxonomy, "id");
        List<ObjectNode> all = all(services);
        Map<String, ObjectNode> serviceById = new HashMap<>();
        for (ObjectNode s : all) {
            serviceById.putIfAbsent(HsdsServiceMapper.text(s, "id"), s);
            array(s, "service_at_locations");
        }
        for (ObjectNode link : all(links)) {
            ObjectNode service = serviceById.get(HsdsServiceMapper.text(link, "service_id"));
            ObjectNode location = locationById.get(HsdsServiceMapper.text(link, "location_id"));
            if (service != null && location != null) {
                ObjectNode sal = JSON.createObjectNode();
                sal.set("location", location);
                array(service, "service_at_locations").add(sal);
            }
        }
        attach(serviceById, languages, "languages");
        attach(serviceById, areas, "service_areas");
        attach(serviceById, costs, "cost_options");
        attach(serviceById, capacities, "service_capacity");
        for (ObjectNode attribute : all(attributes)) {
            ObjectNode service = serviceById.get(HsdsServiceMapper.text(attribute, "link_id"));
            if (service != null) {
                ObjectNode term = termById.get(HsdsServiceMapper.text(attribute, "taxonomy_term_id"));
                if (term != null) {
                    attribute.set("taxonomy_term", term);
                }
                array(service, "attributes").add(attribute);
            }
        }
        for (ObjectNode link : all(serviceTaxonomy)) {
            ObjectNode service = serviceById.get(HsdsServiceMapper.text(link, "service_id"));
            ObjectNode term = termById.get(HsdsServiceMapper.text(link, "taxonomy_id"));
            if (service != null && term != null) {
                ObjectNode attribute = JSON.createObjectNode();
                attribute.set("taxonomy_term", term);
                array(service, "attributes").add(attribute);
            }
        }
        for (ObjectNode e : all(eligibility)) {
            ObjectNode service = serviceById.get(HsdsServiceMapper.text(e, "service_id"));
            String text = HsdsServiceMapper.text(e, "eligibility");
            Matcher m = text == null ? null : AGES.matcher(text);
            if (service != null && m != null && m.find() && !service.has("minimum_age")) {
                service.put("minimum_age", Integer.parseInt(m.group(1)));
                service.put("maximum_age", Integer.parseInt(m.group(2)));
            }
        }
        List<SourceProgram> programs = new ArrayList<>(all.size());
        List<Integer> positions = new ArrayList<>(all.size());
        List<String> labels = new ArrayList<>(all.size());
        List<SourceProblem> problems = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ObjectNode service = all.get(i);
            String id = HsdsServiceMapper.text(service, "id");
            String label = services.name + " line " + services.lines.get(i);
            try {
                programs.add(mapper.map(service, organizationById.get(HsdsServiceMapper.text(service,
                        "organization_id"))));
                positions.add(i);
                labels.add(label + ": ");
            } catch (RecordProblem p) {
                problems.add(new SourceProblem(i, id, label + ": " + p.field(), p.getMessage()));
            }
        }
        progress.accept(all.size());
        return new SourceBatch(programs, positions, labels, problems, true);
    }

    /** Resource name → file name, from datapackage.json when it lists resources. */
    private static Map<String, String> resourcePaths(Map<String, byte[]> files) throws ConnectorException {
        Map<String, String> paths = new HashMap<>();
        byte[] descriptor = files.get("datapackage.json");
        if (descriptor == null) {
            return paths;
        }
        String text = SourceText.utf8(descriptor, "datapackage.json").strip();
        if (!text.startsWith("{")) {
            // The official 3.0 example's descriptor is a bare reference to the schema package, not a descriptor:
            // the tables are then found by their usual names.
            return paths;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new ConnectorException("datapackage.json is not valid JSON: " + e.getOriginalMessage(), false, e);
        }
        for (JsonNode resource : root.path("resources")) {
            String name = resource.path("name").asString(null);
            String path = resource.path("path").asString(null);
            if (name != null && path != null) {
                paths.put(name, path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT));
            }
        }
        return paths;
    }

    private record Table(String name, List<ObjectNode> rows, List<Integer> lines) {
    }

    private static Table table(Map<String, byte[]> files, Map<String, String> paths, String resource,
            String... usualNames) throws ConnectorException {
        List<String> candidates = new ArrayList<>();
        if (paths.containsKey(resource)) {
            candidates.add(paths.get(resource));
        }
        candidates.addAll(List.of(usualNames));
        for (String name : candidates) {
            byte[] bytes = files.get(name);
            if (bytes == null) {
                continue;
            }
            CsvTable csv;
            try {
                csv = CsvTable.parse(SourceText.utf8(bytes, name), ',');
            } catch (CsvTable.CsvFormatException e) {
                throw new ConnectorException(name + ": " + e.getMessage(), false, e);
            }
            List<ObjectNode> rows = new ArrayList<>(csv.rows().size());
            List<Integer> lines = new ArrayList<>(csv.rows().size());
            for (CsvTable.Row row : csv.rows()) {
                ObjectNode node = JSON.createObjectNode();
                for (String column : csv.header()) {
                    String value = csv.get(row, column);
                    if (value != null) {
                        node.put(column.trim().toLowerCase(Locale.ROOT), value);
                    }
                }
                rows.add(node);
                lines.add(row.line());
            }
            return new Table(name, rows, lines);
        }
        return null;
    }

    private static List<ObjectNode> all(Table table) {
        return table == null ? List.of() : table.rows;
    }

    private static Map<String, ObjectNode> index(Table table, String key) {
        Map<String, ObjectNode> byKey = new HashMap<>();
        for (ObjectNode row : all(table)) {
            String k = HsdsServiceMapper.text(row, key);
            if (k != null) {
                byKey.putIfAbsent(k, row);
            }
        }
        return byKey;
    }

    private static void attach(Map<String, ObjectNode> serviceById, Table table, String field) {
        for (ObjectNode row : all(table)) {
            ObjectNode service = serviceById.get(HsdsServiceMapper.text(row, "service_id"));
            if (service != null) {
                if (field.equals("languages") && !row.has("code") && row.has("language")) {
                    row.put("name", row.get("language").asString());
                }
                if (field.equals("cost_options") && row.has("amount")) {
                    try {
                        row.put("amount", Double.parseDouble(row.get("amount").asString()));
                    } catch (NumberFormatException ignored) {
                        // an unreadable amount says nothing about fees
                        row.remove("amount");
                    }
                }
                array(service, field).add(row);
            }
        }
    }

    private static ArrayNode array(ObjectNode node, String field) {
        JsonNode existing = node.get(field);
        if (existing instanceof ArrayNode a) {
            return a;
        }
        return node.putArray(field);
    }
}
