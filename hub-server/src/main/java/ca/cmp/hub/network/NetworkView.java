package ca.cmp.hub.network;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where the network's partnerships reach, per census area of a layer, computed by PostGIS: each area's pieces
 * inside each partnership's region, their union (the area's land inside some region) and the union of their
 * pairwise intersections (inside two regions or more). The overlay runs on the stored WGS 84 geometries (valid by
 * their tables' checks; a projected copy need not be: EPSG:3347 turned a valid Nunavut division self-intersecting)
 * and areas are measured on the spheroid. Youth are spread evenly over their area's land (areal weighting, as
 * coverage).
 */
@Component
class NetworkView {

    /** One census area: its youth and which regions reach it, as shares of its land. */
    record Area(String code, String name, String province, double youth, double insideShare, double overlapShare,
            List<UUID> partnerships) {

        double inside() {
            return youth * insideShare;
        }

        double outside() {
            return Math.max(0, youth - inside());
        }

        double overlap() {
            return youth * overlapShare;
        }
    }

    record Result(List<Area> areas, List<UUID> partnerships, Instant computedAt) {
    }

    private final JdbcClient jdbc;

    NetworkView(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Result compute(String dataset, boolean includeRetired) {
        String regions = "SELECT id, region FROM partnership WHERE region IS NOT NULL"
                + (includeRetired ? "" : " AND retired_at IS NULL");
        List<UUID> counted = jdbc.sql("SELECT id FROM (" + regions + ") r").query(UUID.class).list();
        List<Area> areas = new ArrayList<>();
        jdbc.sql("""
                WITH r AS MATERIALIZED (%s),
                a AS (SELECT code, name, province, youth_6_18, boundary FROM census_area WHERE dataset_id = :dataset),
                piece AS MATERIALIZED (
                  SELECT a.code, r.id, ST_CollectionExtract(ST_Intersection(a.boundary, r.region), 3) AS g
                  FROM a JOIN r ON ST_Intersects(a.boundary, r.region)),
                reached AS (
                  SELECT p.code, array_agg(p.id ORDER BY p.id) AS ids, ST_Area(ST_Union(p.g)::geography) AS inside,
                         ST_Area(((array_agg(a.boundary))[1])::geography) AS land
                  FROM piece p JOIN a ON a.code = p.code GROUP BY p.code),
                doubled AS (
                  SELECT p1.code,
                         ST_Area(ST_Union(ST_CollectionExtract(ST_Intersection(p1.g, p2.g), 3))::geography) AS overlap
                  FROM piece p1 JOIN piece p2 ON p1.code = p2.code AND p1.id < p2.id
                  WHERE ST_Intersects(p1.g, p2.g) GROUP BY p1.code)
                SELECT a.code, a.name, a.province, a.youth_6_18, reached.ids,
                       -- least() skips nulls: an area no region reaches must be 0 before it, not after.
                       least(1, coalesce(reached.inside / nullif(reached.land, 0), 0)) AS inside_share,
                       least(1, coalesce(doubled.overlap / nullif(reached.land, 0), 0)) AS overlap_share
                FROM a LEFT JOIN reached ON reached.code = a.code LEFT JOIN doubled ON doubled.code = a.code
                ORDER BY a.code""".formatted(regions))
                .param("dataset", dataset)
                .query((ResultSet rs) -> {
                    java.sql.Array ids = rs.getArray("ids");
                    areas.add(new Area(rs.getString("code"), rs.getString("name"), rs.getString("province"),
                            rs.getDouble("youth_6_18"), rs.getDouble("inside_share"), rs.getDouble("overlap_share"),
                            ids == null ? List.of() : List.of((UUID[]) ids.getArray())));
                });
        return new Result(areas, counted, Instant.now());
    }
}
