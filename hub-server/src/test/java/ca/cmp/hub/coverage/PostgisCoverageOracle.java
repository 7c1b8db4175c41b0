package ca.cmp.hub.coverage;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An independent computation of covered youth, written directly in PostGIS SQL, to check the hub's analysis
 * against: for every census area and every age, the union of the service areas of the ACTIVE programs serving
 * that age (geodesic buffers of the sites), intersected with the area; youth of that age × intersected area ÷
 * area, with both areas measured on the spheroid (geography), summed over ages. Nothing of the hub's Java code
 * is used.
 */
public final class PostgisCoverageOracle {

    private PostgisCoverageOracle() {
    }

    public record Figures(double youth, double covered) {
    }

    /**
     * Covered youth aged {@code minAge..maxAge} per area code of {@code dataset}, programs of {@code partnerships}
     * only (a test's own: other classes' programs in the shared database would make the reference, which unions
     * every program's pieces per area and age, cost what the suite happened to run before it), with circles of
     * {@code quadSegs} segments per quarter (the hub's, to compare like with like).
     */
    public static Map<String, Figures> covered(JdbcClient jdbc, org.springframework.transaction.support.TransactionTemplate tx,
            String dataset, int minAge, int maxAge, int quadSegs, java.util.List<java.util.UUID> partnerships) {
        Map<String, Figures> result = new LinkedHashMap<>();
        tx.executeWithoutResult(status -> {
            // A reference computation, not an API request: no statement time limit.
            jdbc.sql("SET LOCAL statement_timeout = 0").update();
            jdbc.sql("""
                    WITH programs AS MATERIALIZED (
                      SELECT coalesce(p.min_age, 6) AS min_age, coalesce(p.max_age, 18) AS max_age,
                             CASE p.service_area_kind
                               WHEN 'RADIUS' THEN (SELECT ST_Union(ST_Buffer(s.location::geography,
                                                                             p.service_radius_km * 1000,
                                                                             :quadSegs)::geometry)
                                                   FROM site s WHERE s.program_id = p.id)
                               WHEN 'REGION' THEN coalesce(p.service_area, r.region)
                               ELSE p.service_area END AS area
                      FROM program p JOIN partnership r ON r.id = p.partnership_id
                      WHERE p.status = 'ACTIVE' AND p.partnership_id IN (:partnerships)),
                    pieces AS MATERIALIZED (
                      SELECT a.code, p.min_age, p.max_age, ST_Intersection(a.boundary, p.area) AS piece
                      FROM census_area a JOIN programs p ON p.area IS NOT NULL AND ST_Intersects(a.boundary, p.area)
                      WHERE a.dataset_id = :dataset),
                    per_age AS (
                      SELECT a.code, a.boundary, age, a.youth_by_age[age - 5] AS youth,
                             (SELECT ST_Union(x.piece) FROM pieces x
                              WHERE x.code = a.code AND x.min_age <= age AND x.max_age >= age) AS cover
                      FROM census_area a CROSS JOIN generate_series(:minAge, :maxAge) AS age
                      WHERE a.dataset_id = :dataset)
                    SELECT code, sum(youth) AS youth,
                           sum(CASE WHEN cover IS NULL THEN 0
                                    ELSE youth * ST_Area(cover::geography) / ST_Area(boundary::geography) END) AS covered
                    FROM per_age GROUP BY code ORDER BY code""")
                    .param("dataset", dataset).param("minAge", minAge).param("maxAge", maxAge)
                    .param("quadSegs", quadSegs).param("partnerships", partnerships)
                    .query((java.sql.ResultSet rs) -> {
                        result.put(rs.getString("code"), new Figures(rs.getDouble("youth"), rs.getDouble("covered")));
                    });
        });
        return result;
    }
}
