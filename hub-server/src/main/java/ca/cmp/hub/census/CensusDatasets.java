package ca.cmp.hub.census;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The loaded census datasets and the provenance each figure computed from them must carry. */
@Component
public class CensusDatasets {

    /**
     * Whole layers as last read, simplified, per load of a dataset: the map and other clients ask for the same
     * layer at the same tolerance again and again, and simplifying every boundary of a layer took PostgreSQL
     * most of a second of CPU for the 293 census divisions each time. Keyed by the load's time, so a reloaded
     * dataset is read anew on every instance; bounded by the characters of GeoJSON kept.
     */
    private final Map<LayerKey, List<StoredArea>> layers = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private long layerChars;
    static final long MAX_LAYER_CHARS = 64L << 20;

    private record LayerKey(String dataset, java.time.Instant loadedAt, double tolerance, int limit) {
    }

    private final JdbcClient jdbc;

    CensusDatasets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<CensusDataset> all() {
        return jdbc.sql("SELECT * FROM census_dataset ORDER BY id").query(CensusDatasets::map).list();
    }

    public Optional<CensusDataset> find(String id) {
        return jdbc.sql("SELECT * FROM census_dataset WHERE id = :id").param("id", id).query(CensusDatasets::map)
                .optional();
    }

    /** Those of {@code codes} that no area of the dataset has, in the order given. */
    public List<String> unknownCodes(String dataset, List<String> codes) {
        java.util.Set<String> known = new java.util.HashSet<>(jdbc.sql(
                "SELECT code FROM census_area WHERE dataset_id = :id AND code = ANY (:codes)")
                .param("id", dataset).param("codes", codes.toArray(String[]::new)).query(String.class).list());
        return codes.stream().filter(c -> !known.contains(c)).distinct().toList();
    }

    /**
     * A census area as stored: unrounded figures (callers apply {@link SmallAreaProtection}), GeoJSON in WGS 84;
     * {@code youthUnknown}: the source suppressed its counts, and {@code youth} is a meaningless zero.
     */
    record StoredArea(String code, String name, String province, Integer totalPopulation, double youth,
            Double[] youthByAge, String youthMethod, boolean youthUnknown, double areaKm2, String geoJson,
            boolean repaired) {
    }

    /**
     * A dataset's areas in code order, at most {@code limit}, those meeting {@code bbox} when given (WGS 84
     * degrees), simplified by {@code toleranceMetres} (0: as stored).
     */
    List<StoredArea> areas(CensusDataset dataset, CensusController.BoundingBox bbox, double toleranceMetres,
            int limit) {
        if (bbox != null) {
            return read(dataset.id(), bbox, toleranceMetres, limit);
        }
        LayerKey key = new LayerKey(dataset.id(), dataset.loadedAt(), toleranceMetres, limit);
        synchronized (layers) {
            List<StoredArea> kept = layers.get(key);
            if (kept != null) {
                return kept;
            }
        }
        List<StoredArea> areas = read(dataset.id(), null, toleranceMetres, limit);
        long chars = areas.stream().mapToLong(a -> a.geoJson() == null ? 0 : a.geoJson().length()).sum();
        if (chars <= MAX_LAYER_CHARS / 4) {
            synchronized (layers) {
                if (layers.put(key, areas) == null) {
                    layerChars += chars;
                }
                var eldest = layers.entrySet().iterator();
                while (layerChars > MAX_LAYER_CHARS && eldest.hasNext()) {
                    layerChars -= eldest.next().getValue().stream()
                            .mapToLong(a -> a.geoJson() == null ? 0 : a.geoJson().length()).sum();
                    eldest.remove();
                }
            }
        }
        return areas;
    }

    private List<StoredArea> read(String dataset, CensusController.BoundingBox bbox, double toleranceMetres,
            int limit) {
        // Simplification runs in metres (EPSG:3347) and stays topology-preserving, so shared borders still meet.
        String geometry = toleranceMetres == 0 ? "boundary" : "ST_Transform(ST_SimplifyPreserveTopology("
                + "ST_Transform(boundary, 3347), :tolerance), 4326)";
        StringBuilder sql = new StringBuilder("""
                SELECT code, name, province, total_population, youth_6_18, youth_by_age, youth_method, youth_unknown,
                       area_km2, repaired, ST_AsGeoJSON(%s, 6) AS geojson
                FROM census_area WHERE dataset_id = :dataset""".formatted(geometry));
        Map<String, Object> params = new HashMap<>(Map.of("dataset", dataset, "tolerance", toleranceMetres,
                "limit", limit));
        if (bbox != null) {
            sql.append(" AND boundary && ST_MakeEnvelope(:west, :south, :east, :north, 4326)");
            params.putAll(Map.of("west", bbox.west(), "south", bbox.south(), "east", bbox.east(), "north",
                    bbox.north()));
        }
        sql.append(" ORDER BY code LIMIT :limit");
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> stored(rs)).list();
    }

    /** An area's identity: its code within its dataset. */
    record AreaKey(String dataset, String code) {
    }

    /** The areas of {@code keys} that exist, by key, as stored (boundaries as stored): one statement. */
    Map<AreaKey, StoredArea> areas(List<AreaKey> keys) {
        Map<AreaKey, StoredArea> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                SELECT dataset_id, code, name, province, total_population, youth_6_18, youth_by_age, youth_method,
                       youth_unknown, area_km2, repaired, ST_AsGeoJSON(boundary, 6) AS geojson
                FROM census_area
                WHERE (dataset_id, code) IN (SELECT * FROM unnest(CAST(:datasets AS text[]), CAST(:codes AS text[])))""")
                .param("datasets", keys.stream().map(AreaKey::dataset).toArray(String[]::new))
                .param("codes", keys.stream().map(AreaKey::code).toArray(String[]::new))
                .query((java.sql.ResultSet rs) -> {
                    found.put(new AreaKey(rs.getString("dataset_id"), rs.getString("code")), stored(rs));
                });
        return found;
    }

    private static StoredArea stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredArea(rs.getString("code"), rs.getString("name"), rs.getString("province"),
                (Integer) rs.getObject("total_population"), rs.getDouble("youth_6_18"),
                (Double[]) rs.getArray("youth_by_age").getArray(), rs.getString("youth_method"),
                rs.getBoolean("youth_unknown"), rs.getDouble("area_km2"), rs.getString("geojson"),
                rs.getBoolean("repaired"));
    }

    private static CensusDataset map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new CensusDataset(rs.getString("id"), CensusImport.Level.valueOf(rs.getString("level")),
                rs.getString("title"), rs.getString("vintage"), rs.getString("source"), rs.getString("licence"),
                rs.getTimestamp("loaded_at").toInstant(), rs.getInt("area_count"), rs.getInt("repaired_count"));
    }
}
