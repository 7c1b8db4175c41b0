package ca.cmp.hub.connectors.geojson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.DocumentConnector;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.connectors.source.FlatRecordReader;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.connectors.source.RecordReads;
import ca.cmp.hub.connectors.source.SourceText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GeoJSON FeatureCollection (RFC 7946) of programs: each feature one program, its Point geometry the site (a
 * feature without geometry is placed by its postal code property), its properties read through a property
 * mapping. A full snapshot. Problems name the feature by index and the property.
 */
public final class GeoJsonConnector implements DocumentConnector {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String location;
    private final FieldMapping mapping;
    private final SourceFetcher fetcher;
    private final FsaCentroids postalCodes;

    public GeoJsonConnector(String location, FieldMapping mapping, SourceFetcher fetcher, FsaCentroids postalCodes) {
        this.location = location;
        this.mapping = mapping;
        this.fetcher = fetcher;
        this.postalCodes = postalCodes;
    }

    @Override
    public byte[] fetch() throws ConnectorException {
        return fetcher.fetch(location);
    }

    @Override
    public SourceBatch parse(byte[] bytes, IntConsumer progress) throws ConnectorException {
        // Checked strictly first (a file in another encoding names its first bad byte), then parsed from the bytes:
        // no decoded copy of a large file is built.
        SourceText.requireUtf8(bytes, "the GeoJSON file");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw notJson(e);
        }
        return parse(root, mapping, postalCodes, progress);
    }

    public static SourceBatch parse(String text, FieldMapping mapping, FsaCentroids postalCodes, IntConsumer progress)
            throws ConnectorException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw notJson(e);
        }
        return parse(root, mapping, postalCodes, progress);
    }

    private static ConnectorException notJson(JacksonException e) {
        return new ConnectorException("the GeoJSON file is not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")"), false, e);
    }

    private static SourceBatch parse(JsonNode root, FieldMapping mapping, FsaCentroids postalCodes,
            IntConsumer progress) throws ConnectorException {
        if (root == null || !"FeatureCollection".equals(root.path("type").asString(null))
                || !root.path("features").isArray()) {
            throw new ConnectorException("the GeoJSON file must be a FeatureCollection with a \"features\" array",
                    false);
        }
        JsonNode features = root.path("features");
        // Property names of the whole collection, case-insensitive, for the mapping to resolve against.
        // Features nearly always repeat the same names: each raw name is lower-cased once.
        Set<String> properties = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode feature : features) {
            for (String n : feature.path("properties").propertyNames()) {
                if (seen.add(n)) {
                    properties.add(n.toLowerCase(Locale.ROOT));
                }
            }
            if (properties.size() > 200) {
                break;
            }
        }
        FlatRecordReader reader;
        try {
            reader = new FlatRecordReader(mapping, name -> properties.contains(name.toLowerCase(Locale.ROOT)),
                    postalCodes);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException("the GeoJSON file does not fit the mapping: " + e.getMessage(), false, e);
        }
        IntFunction<String> labels = i -> "features[" + i + "]";
        Object[] outcomes = RecordReads.inOrder(features.size(), progress, i -> {
            JsonNode feature = features.get(i);
            JsonNode props = feature.path("properties");
            FlatRecordReader.Record record = column -> property(props, column);
            String label = labels.apply(i);
            try {
                double[] point = point(feature.path("geometry"), label);
                return reader.read(record, point == null ? null : point[1], point == null ? null : point[0]);
            } catch (RecordProblem p) {
                String field = p.field().startsWith(label) ? p.field() : label + ".properties." + p.field();
                return new SourceProblem(i, reader.sourceId(record), field, p.getMessage());
            }
        });
        return RecordReads.snapshot(outcomes, labels);
    }

    /** [lon, lat] of a Point geometry; null for a null geometry (the record is placed by postal code). */
    private static double[] point(JsonNode geometry, String label) throws RecordProblem {
        if (geometry.isMissingNode() || geometry.isNull()) {
            return null;
        }
        String type = geometry.path("type").asString("");
        JsonNode c = geometry.path("coordinates");
        if (type.equals("MultiPoint") && c.size() == 1) {
            c = c.get(0);
        } else if (!type.equals("Point")) {
            throw new RecordProblem(label + ".geometry", "must be a Point (a program's site), got " + type);
        }
        if (!c.isArray() || c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
            throw new RecordProblem(label + ".geometry.coordinates", "must be [longitude, latitude] numbers");
        }
        return new double[] {c.get(0).asDouble(), c.get(1).asDouble()};
    }

    private static String property(JsonNode props, String name) {
        JsonNode value = props.get(name);
        if (value == null) {
            for (var e : props.properties()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    value = e.getValue();
                    break;
                }
            }
        }
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asString()));
            return String.join(";", parts);
        }
        if (value.isString()) {
            return value.asString();
        }
        // A number's or boolean's text as JSON writes it, without serialising the node (that costs a generator per
        // value); anything else, and a number too large for a double, as JSON.
        if (value.isIntegralNumber() || value.isBoolean()
                || value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())) {
            return value.asString();
        }
        return value.toString();
    }
}
