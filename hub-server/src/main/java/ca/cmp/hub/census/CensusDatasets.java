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
    List<StoredArea> areas(String dataset, CensusController.BoundingBox bbox, double toleranceMetres, int limit) {
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
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new StoredArea(rs.getString("code"),
                rs.getString("name"), rs.getString("province"), (Integer) rs.getObject("total_population"),
                rs.getDouble("youth_6_18"), (Double[]) rs.getArray("youth_by_age").getArray(),
                rs.getString("youth_method"), rs.getBoolean("youth_unknown"), rs.getDouble("area_km2"),
                rs.getString("geojson"),
                rs.getBoolean("repaired"))).list();
    }

    private static CensusDataset map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new CensusDataset(rs.getString("id"), CensusImport.Level.valueOf(rs.getString("level")),
                rs.getString("title"), rs.getString("vintage"), rs.getString("source"), rs.getString("licence"),
                rs.getTimestamp("loaded_at").toInstant(), rs.getInt("area_count"), rs.getInt("repaired_count"));
    }
}
