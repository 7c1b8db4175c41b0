package ca.cmp.hub.census;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a GeoJSON FeatureCollection of boundaries. CRS: the legacy {@code crs} member when present
 * ({@code urn:ogc:def:crs:EPSG::3347}, {@code EPSG:3347}; CRS84 is lon/lat), else RFC 7946's WGS 84 lon/lat.
 * Coordinates are passed on as written. Features are numbered from 0, as in the {@code features} array.
 */
final class GeoJsonBoundaries implements BoundaryFile {

    private static final Pattern EPSG = Pattern.compile("EPSG:+(\\d+)$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final int srid;
    private final JsonNode features;
    private int next;

    private GeoJsonBoundaries(String name, int srid, JsonNode features) {
        this.name = name;
        this.srid = srid;
        this.features = features;
    }

    static GeoJsonBoundaries open(Path file) {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new CensusLoadException(name + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!"FeatureCollection".equals(root.path("type").asString(""))) {
            throw new CensusLoadException(name + ": not a GeoJSON FeatureCollection");
        }
        return new GeoJsonBoundaries(name, srid(name, root), root.path("features"));
    }

    private static int srid(String name, JsonNode collection) {
        String crs = collection.path("crs").path("properties").path("name").asString("");
        if (crs.isEmpty() || crs.endsWith("CRS84")) {
            return 4326;
        }
        Matcher m = EPSG.matcher(crs);
        if (!m.find()) {
            throw new CensusLoadException(name + ": crs " + crs + " is not an EPSG code");
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int srid() {
        return srid;
    }

    @Override
    public List<String> columns() {
        return null;
    }

    @Override
    public BoundaryFeature next() {
        if (next >= features.size()) {
            return null;
        }
        int i = next++;
        JsonNode feature = features.get(i);
        Map<String, String> attributes = new HashMap<>();
        feature.path("properties").properties().forEach(e -> attributes.put(e.getKey(),
                e.getValue().isNull() ? null : e.getValue().asString()));
        JsonNode geometry = feature.path("geometry");
        String type = geometry.path("type").asString("");
        BoundaryFeature.Shape shape = type.equals("Polygon") || type.equals("MultiPolygon")
                ? new BoundaryFeature.GeoJson(geometry.toString())
                : new BoundaryFeature.Unusable("geometry must be a Polygon or MultiPolygon, got "
                        + (type.isEmpty() ? "none" : type));
        return new BoundaryFeature("feature " + i, attributes, shape);
    }

    @Override
    public void close() {
    }
}
