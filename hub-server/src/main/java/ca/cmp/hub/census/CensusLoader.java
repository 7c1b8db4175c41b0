package ca.cmp.hub.census;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.cmp.hub.cache.DataVersion;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a census dataset into PostGIS, all or nothing.
 *
 * <p>Every feature must have a code, a name, a polygonal geometry and the counts the youth rule needs; the first
 * problems (up to 20) are reported together, naming the feature and the field, and then nothing is written.
 * Geometries invalid as published are repaired with {@code ST_MakeValid} (kept polygonal), never dropped; the
 * repaired ones are flagged. Reloading a dataset replaces its previous rows in the same transaction, so readers
 * see either the old dataset or the new one.
 */
@Component
public class CensusLoader {

    private static final Logger log = LoggerFactory.getLogger(CensusLoader.class);
    private static final Pattern EPSG = Pattern.compile("EPSG:+(\\d+)$");
    private static final int MAX_REPORTED = 20;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final JsonMapper json = JsonMapper.builder().build();

    private final DataVersion dataVersion;

    CensusLoader(JdbcTemplate jdbc, TransactionTemplate transaction, DataVersion dataVersion) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.dataVersion = dataVersion;
    }

    /** What a load did. */
    public record Report(String datasetId, int areas, int repaired, double youth6to18) {
    }

    private record Area(String code, String name, String province, AgeCounts counts, String geometry) {
    }

    public Report load(CensusImport spec) {
        JsonNode collection = readBoundaries(spec);
        int srid = srid(spec, collection);
        Map<String, AgeCounts> external = externalCounts(spec);
        List<Area> areas = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        JsonNode features = collection.path("features");
        for (int i = 0; i < features.size(); i++) {
            JsonNode feature = features.get(i);
            JsonNode properties = feature.path("properties");
            String code = text(properties, spec.codeProperty());
            if (spec.level() == CensusImport.Level.PROVINCE && code != null && code.matches("[A-Z]{2}")) {
                // Province layers may carry the postal abbreviation; counts are keyed by PRUID.
                code = Provinces.pruid(code) == null ? code : Provinces.pruid(code);
            }
            String where = "feature " + i + (code == null ? "" : " (" + spec.codeProperty() + " " + code + ")");
            if (code == null) {
                problems.add(where + ": property " + spec.codeProperty() + " is missing");
                continue;
            }
            if (!codes.add(code)) {
                problems.add(where + ": " + spec.codeProperty() + " " + code + " appears twice");
                continue;
            }
            String name = text(properties, spec.nameProperty());
            JsonNode geometry = feature.path("geometry");
            String type = geometry.path("type").asString("");
            if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
                problems.add(where + ": geometry must be a Polygon or MultiPolygon, got "
                        + (type.isEmpty() ? "none" : type));
                continue;
            }
            AgeCounts counts = spec.counts() instanceof CensusImport.InProperties p ? fromProperties(properties,
                    p.mapping()) : external.get(code);
            if (counts == null) {
                problems.add(where + ": no counts for this area in " + describe(spec.counts()));
                continue;
            }
            String missing = counts.missing();
            if (missing != null) {
                problems.add(where + ": counts lack " + missing);
                continue;
            }
            // StatCan codes start with the PRUID; other layers (a city's neighbourhoods) name their province.
            String province = spec.province() != null ? spec.province() : Provinces.abbreviation(code);
            areas.add(new Area(code, name == null ? code : name, province, counts, geometry.toString()));
        }
        if (!problems.isEmpty()) {
            throw new CensusLoadException(spec.boundaries().getFileName() + ": " + problems.size()
                    + " area(s) cannot be loaded, nothing was changed:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(MAX_REPORTED, problems.size())))
                    + (problems.size() > MAX_REPORTED ? "\n  ..." : ""));
        }
        if (areas.isEmpty()) {
            throw new CensusLoadException(spec.boundaries().getFileName() + ": no features");
        }
        Report report = transaction.execute(status -> write(spec, areas, srid));
        log.info("Census dataset {} loaded: {} areas ({} repaired), {} youth 6-18", report.datasetId(),
                report.areas(), report.repaired(), Math.round(report.youth6to18()));
        return report;
    }

    private Report write(CensusImport spec, List<Area> areas, int srid) {
        // A national dissemination-area layer takes longer than an API request may.
        jdbc.execute("SET LOCAL statement_timeout = 0");
        jdbc.update("DELETE FROM census_dataset WHERE id = ?", spec.datasetId());
        jdbc.update("""
                INSERT INTO census_dataset (id, level, title, vintage, source, licence, area_count, repaired_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)""", spec.datasetId(), spec.level().name(), spec.title(),
                spec.vintage(), spec.source(), spec.licence(), areas.size());
        String geometry = srid == 4326 ? "ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)"
                : "ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), " + srid + "), 4326)";
        jdbc.batchUpdate("""
                INSERT INTO census_area (dataset_id, code, name, province, total_population, youth_6_18,
                                         youth_by_age, youth_method, boundary, area_km2, repaired)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, v.g, ST_Area(v.g::geography) / 1e6, NOT ST_IsValid(r.raw)
                FROM (SELECT %s AS raw) r,
                     LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(r.raw), 3)) AS g) v""".formatted(geometry),
                areas, 500, (PreparedStatement ps, Area a) -> {
                    double[] ages = a.counts().youthByAge();
                    double youth = 0;
                    Double[] boxed = new Double[ages.length];
                    for (int i = 0; i < ages.length; i++) {
                        boxed[i] = ages[i];
                        youth += ages[i];
                    }
                    Array array = ps.getConnection().createArrayOf("float8", boxed);
                    ps.setString(1, spec.datasetId());
                    ps.setString(2, a.code());
                    ps.setString(3, a.name());
                    ps.setString(4, a.province());
                    ps.setObject(5, a.counts().total());
                    ps.setDouble(6, youth);
                    ps.setArray(7, array);
                    ps.setString(8, a.counts().method());
                    ps.setString(9, a.geometry());
                });
        List<String> empty = jdbc.queryForList("SELECT code FROM census_area WHERE dataset_id = ? AND ST_IsEmpty(boundary)",
                String.class, spec.datasetId());
        if (!empty.isEmpty()) {
            throw new CensusLoadException(spec.boundaries().getFileName() + ": geometry of " + empty
                    + " has no area left after repair; nothing was changed");
        }
        Map<String, Object> totals = jdbc.queryForMap("""
                SELECT count(*) FILTER (WHERE repaired) AS repaired, coalesce(sum(youth_6_18), 0) AS youth
                FROM census_area WHERE dataset_id = ?""", spec.datasetId());
        int repaired = ((Number) totals.get("repaired")).intValue();
        jdbc.update("UPDATE census_dataset SET repaired_count = ? WHERE id = ?", repaired, spec.datasetId());
        dataVersion.bump();
        return new Report(spec.datasetId(), areas.size(), repaired, ((Number) totals.get("youth")).doubleValue());
    }

    private JsonNode readBoundaries(CensusImport spec) {
        try {
            JsonNode root = json.readTree(spec.boundaries().toFile());
            if (!"FeatureCollection".equals(root.path("type").asString(""))) {
                throw new CensusLoadException(spec.boundaries().getFileName() + ": not a GeoJSON FeatureCollection");
            }
            return root;
        } catch (JacksonException e) {
            throw new CensusLoadException(spec.boundaries().getFileName() + ": not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static int srid(CensusImport spec, JsonNode collection) {
        String name = collection.path("crs").path("properties").path("name").asString("");
        if (name.isEmpty() || name.endsWith("CRS84")) {
            return 4326;
        }
        Matcher m = EPSG.matcher(name);
        if (!m.find()) {
            throw new CensusLoadException(spec.boundaries().getFileName() + ": crs " + name + " is not an EPSG code");
        }
        int srid = Integer.parseInt(m.group(1));
        // NAD83 and WGS 84 differ by about a metre in Canada, far below census boundary precision.
        return srid == 4269 ? 4326 : srid;
    }

    private Map<String, AgeCounts> externalCounts(CensusImport spec) {
        try {
            if (spec.counts() instanceof CensusImport.InCsv csv) {
                return fromCsv(csv);
            }
            if (spec.counts() instanceof CensusImport.InCensusProfile profile) {
                Map<String, AgeCounts> counts = new HashMap<>();
                StatCanCensusProfile.read(profile.csv()).forEach((dguid, area) -> counts.put(dguid, area.counts()));
                return counts;
            }
            return Map.of();
        } catch (IOException e) {
            throw new CensusLoadException("cannot read counts: " + e.getMessage());
        }
    }

    private static Map<String, AgeCounts> fromCsv(CensusImport.InCsv spec) throws IOException {
        Map<String, AgeCounts> counts = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(spec.csv(), StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(reader)) {
            for (CSVRecord row : parser) {
                if (spec.levelColumn() != null && !spec.levelValue().equals(row.get(spec.levelColumn()))) {
                    continue;
                }
                Map<String, String> values = new HashMap<>();
                spec.mapping().forEach((key, column) -> values.put(key, row.isMapped(column) ? row.get(column) : null));
                counts.put(row.get(spec.codeColumn()), counts(values, spec.csv().getFileName() + " row "
                        + row.getRecordNumber()));
            }
        }
        return counts;
    }

    private static AgeCounts fromProperties(JsonNode properties, Map<String, String> mapping) {
        Map<String, String> values = new HashMap<>();
        mapping.forEach((key, property) -> values.put(key, text(properties, property)));
        return counts(values, "feature");
    }

    private static AgeCounts counts(Map<String, String> values, String where) {
        return new AgeCounts(integer(values.get("total"), where, "total"), number(values.get("age5to9"), where, "age5to9"),
                number(values.get("age10to14"), where, "age10to14"), number(values.get("age15to19"), where, "age15to19"),
                number(values.get("age6to18"), where, "age6to18"), null);
    }

    private static Double number(String text, String where, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.trim());
            if (value < 0 || !Double.isFinite(value)) {
                throw new CensusLoadException(where + ": " + field + " " + text + " is not a count");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CensusLoadException(where + ": " + field + " \"" + text + "\" is not a number");
        }
    }

    private static Integer integer(String text, String where, String field) {
        Double value = number(text, where, field);
        return value == null ? null : (int) Math.round(value);
    }

    private static String text(JsonNode properties, String name) {
        JsonNode node = properties.get(name);
        return node == null || node.isNull() ? null : node.asString();
    }

    private static String describe(CensusImport.Counts counts) {
        if (counts instanceof CensusImport.InCsv csv) {
            return csv.csv().getFileName().toString();
        }
        if (counts instanceof CensusImport.InCensusProfile profile) {
            return profile.csv().getFileName() + " (Census Profile, by DGUID)";
        }
        return "the feature's properties";
    }
}
