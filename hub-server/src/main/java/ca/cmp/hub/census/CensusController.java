package ca.cmp.hub.census;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.graphql.InvalidArgumentException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;

@Controller
class CensusController {

    static final int MAX_AREAS = 20_000;

    private final JdbcClient jdbc;
    private final SmallAreaProtection privacy;
    private final CensusDatasets datasets;

    CensusController(JdbcClient jdbc, SmallAreaProtection privacy, CensusDatasets datasets) {
        this.jdbc = jdbc;
        this.privacy = privacy;
        this.datasets = datasets;
    }

    @QueryMapping
    List<CensusDataset> censusDatasets() {
        return datasets.all();
    }

    record BoundingBox(double west, double south, double east, double north) {
    }

    @QueryMapping
    List<CensusArea> censusAreas(@Argument String dataset, @Argument BoundingBox bbox, @Argument Double simplifyMeters) {
        double tolerance = simplifyMeters == null ? 0 : simplifyMeters;
        if (tolerance < 0 || tolerance > 50_000) {
            throw new InvalidArgumentException("simplifyMeters", "must be from 0 to 50000, got " + tolerance);
        }
        if (bbox != null && (bbox.west() >= bbox.east() || bbox.south() >= bbox.north())) {
            throw new InvalidArgumentException("bbox", "needs west < east and south < north");
        }
        if (datasets.find(dataset).isEmpty()) {
            throw new InvalidArgumentException("dataset", "no census dataset \"" + dataset + "\" is loaded");
        }
        // Simplification runs in metres (EPSG:3347) and stays topology-preserving, so shared borders still meet.
        String geometry = tolerance == 0 ? "boundary" : "ST_Transform(ST_SimplifyPreserveTopology("
                + "ST_Transform(boundary, 3347), :tolerance), 4326)";
        StringBuilder sql = new StringBuilder("""
                SELECT code, name, province, total_population, youth_6_18, youth_by_age, youth_method, youth_unknown,
                       area_km2, repaired, ST_AsGeoJSON(%s, 6) AS geojson
                FROM census_area WHERE dataset_id = :dataset""".formatted(geometry));
        Map<String, Object> params = new java.util.HashMap<>(Map.of("dataset", dataset, "tolerance", tolerance,
                "limit", MAX_AREAS));
        if (bbox != null) {
            sql.append(" AND boundary && ST_MakeEnvelope(:west, :south, :east, :north, 4326)");
            params.putAll(Map.of("west", bbox.west(), "south", bbox.south(), "east", bbox.east(), "north", bbox.north()));
        }
        sql.append(" ORDER BY code LIMIT :limit");
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new CensusArea(rs.getString("code"),
                rs.getString("name"), rs.getString("province"), (Integer) rs.getObject("total_population"),
                rs.getBoolean("youth_unknown") ? new CensusArea.YouthCount(null, null, rs.getString("youth_method"), false)
                        : youth(rs.getDouble("youth_6_18"), rs.getArray("youth_by_age"), rs.getString("youth_method")),
                rs.getDouble("area_km2"), rs.getString("geojson"), rs.getBoolean("repaired"))).list();
    }

    private CensusArea.YouthCount youth(double total, Array byAge, String method) throws SQLException {
        if (privacy.suppresses(total)) {
            return new CensusArea.YouthCount(null, null, method, true);
        }
        List<Double> ages = new ArrayList<>(13);
        for (Double age : (Double[]) byAge.getArray()) {
            // Single ages are small numbers; they are rounded, not suppressed, once the total is publishable.
            ages.add((double) Math.round(age));
        }
        return new CensusArea.YouthCount(privacy.publish(total), ages, method, false);
    }
}
