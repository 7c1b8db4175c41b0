package ca.cmp.hub.program;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.connectors.DeliveryMode;
import ca.cmp.hub.connectors.LocationPrecision;
import ca.cmp.hub.connectors.MentoringModel;
import ca.cmp.hub.connectors.ProgramSetting;
import ca.cmp.hub.connectors.ProgramStatus;
import ca.cmp.hub.connectors.ServiceAreaKind;
import org.locationtech.jts.io.WKBWriter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The read side of programs: every program query the API makes, in SQL that PostGIS can index.
 *
 * <p>A page is one statement. "Near" finds sites with {@code ST_DWithin} on the geography cast (served by the
 * {@code site_location_geog_gix} expression index), groups them per program to the nearest site's geodesic
 * distance, and pages by keyset (distance, id). Other spatial filters test sites with the planar operators on the
 * 4326 geometry index, which is exact for containment in lon/lat polygons.
 *
 * <p>A program a connector brings is verified by every successful full read of its source that lists it, and
 * such a read does not rewrite unchanged rows: its verification time is the connector's last full sync.
 */
@Component
class ProgramSearch {

    static final String COLUMNS = """
            p.id, p.partnership_id, p.organization_id, p.name, p.description, p.min_age, p.max_age, p.model,
            p.setting, p.languages, p.delivery_mode, p.service_area_kind, p.service_radius_km, p.active_matches,
            p.max_matches, p.waitlist, p.fee_free, p.fee_description, p.status, p.source, p.source_id,
            p.first_seen_at, p.last_changed_at,
            CASE WHEN p.connector_id IS NULL OR p.status = 'RETIRED' THEN p.last_verified_at
                 ELSE greatest(p.last_verified_at, (SELECT c.last_full_sync_at FROM connector c
                                                    WHERE c.id = p.connector_id)) END AS last_verified_at""";

    private static final RowMapper<ProgramRow> PROGRAM = ProgramSearch::program;

    private final JdbcClient jdbc;

    ProgramSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A program with its distance from the search point in metres ({@code NaN} without one). */
    record Hit(ProgramRow program, double distanceMetres) {
    }

    /**
     * Bounds the exact distance computation of a first "near" page. The KNN index scan (ordering by the cheap
     * spherical distance) finds where the {@code limit}-th distinct fitting program appears; spheroidal and
     * spherical distances differ by well under 1%, so no site farther than that bound times this factor can be
     * among the answer, and only the sites within it need the expensive spheroidal distance.
     */
    static final double SPHERE_TO_SPHEROID_MARGIN = 1.02;
    private static final int KNN_SITES_PER_PROGRAM = 4;

    /** Up to {@code limit} programs after {@code after}, in the criteria's order. */
    List<Hit> find(ProgramCriteria criteria, ProgramCursor after, int limit) {
        return find(criteria, after, limit, true);
    }

    /** {@code bounded}: whether a first near page may use the KNN bound (tests compare with and without). */
    List<Hit> find(ProgramCriteria criteria, ProgramCursor after, int limit, boolean bounded) {
        Sql sql = new Sql();
        StringBuilder text = new StringBuilder();
        if (criteria.near() != null) {
            ProgramCriteria.Near near = criteria.near();
            sql.param("lon", near.longitude()).param("lat", near.latitude()).param("radius", near.radiusKm() * 1000);
            Double bound = bounded && after == null ? knnBound(criteria, limit) : null;
            String within = "";
            if (bound != null) {
                within = " AND ST_DWithin(s.location::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography,"
                        + " :bound, false)";
                sql.param("bound", bound);
            }
            text.append("""
                    WITH near AS (
                      SELECT s.program_id, min(ST_Distance(s.location::geography,
                             ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography)) AS dist
                      FROM site s
                      WHERE ST_DWithin(s.location::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography,
                                       :radius)%s
                      GROUP BY s.program_id)
                    SELECT\s""".formatted(within)).append(COLUMNS)
                    .append(", near.dist FROM near JOIN program p ON p.id = near.program_id");
            List<String> where = conditions(criteria, sql);
            if (after != null) {
                where.add("(near.dist, p.id) > (:afterDist, :afterId)");
                sql.param("afterDist", after.distanceMetres()).param("afterId", after.id());
            }
            appendWhere(text, where);
            text.append(" ORDER BY near.dist, p.id LIMIT :limit");
        } else {
            text.append("SELECT ").append(COLUMNS).append(", NULL::double precision AS dist FROM program p");
            List<String> where = conditions(criteria, sql);
            if (after != null) {
                where.add("(p.name, p.id) > (:afterName, :afterId)");
                sql.param("afterName", after.name()).param("afterId", after.id());
            }
            appendWhere(text, where);
            text.append(" ORDER BY p.name, p.id LIMIT :limit");
        }
        sql.param("limit", limit);
        return jdbc.sql(text.toString()).params(sql.params).query((rs, n) -> {
            double dist = rs.getDouble("dist");
            return new Hit(program(rs, n), rs.wasNull() ? Double.NaN : dist);
        }).list();
    }

    /**
     * The spherical distance (metres, with margin) within which the first {@code limit} fitting programs all have
     * a site, or null when the nearest sites do not settle it (many sites per program) and the page must consider
     * every site within the radius.
     */
    private Double knnBound(ProgramCriteria criteria, int limit) {
        ProgramCriteria.Near near = criteria.near();
        Sql sql = new Sql();
        sql.param("lon", near.longitude()).param("lat", near.latitude()).param("k", limit * KNN_SITES_PER_PROGRAM);
        List<String> where = conditions(criteria, sql);
        // Pure KNN order, no radius condition: with one, the planner drops the index-ordered scan and sorts every
        // site within the radius. The radius is applied to the ordered distances as they arrive.
        StringBuilder text = new StringBuilder("""
                SELECT s.program_id, s.location::geography <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography AS sd
                FROM site s JOIN program p ON p.id = s.program_id
                WHERE TRUE""");
        where.forEach(w -> text.append(" AND ").append(w));
        text.append(" ORDER BY s.location::geography <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography LIMIT :k");
        double outer = near.radiusKm() * 1000 * SPHERE_TO_SPHEROID_MARGIN;
        java.util.Set<UUID> programs = new java.util.HashSet<>();
        double[] bound = {Double.NaN};
        jdbc.sql(text.toString()).params(sql.params).query((ResultSet rs) -> {
            double sd = rs.getDouble("sd");
            if (Double.isNaN(bound[0]) && sd <= outer && programs.add(rs.getObject("program_id", UUID.class))
                    && programs.size() == limit) {
                bound[0] = sd;
            }
        });
        if (!Double.isNaN(bound[0])) {
            return bound[0] * SPHERE_TO_SPHEROID_MARGIN;
        }
        // Fewer fitting programs than the page within the radius: all of them are in the answer anyway.
        return null;
    }

    long count(ProgramCriteria criteria) {
        Sql sql = new Sql();
        StringBuilder text = new StringBuilder("SELECT count(*) FROM program p");
        List<String> where = conditions(criteria, sql);
        if (criteria.near() != null) {
            ProgramCriteria.Near near = criteria.near();
            sql.param("lon", near.longitude()).param("lat", near.latitude()).param("radius", near.radiusKm() * 1000);
            where.add("""
                    EXISTS (SELECT 1 FROM site s WHERE s.program_id = p.id AND ST_DWithin(s.location::geography,
                            ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, :radius))""");
        }
        appendWhere(text, where);
        return jdbc.sql(text.toString()).params(sql.params).query(Long.class).single();
    }

    private static List<String> conditions(ProgramCriteria c, Sql sql) {
        List<String> where = new ArrayList<>();
        where.add("p.status IN (:statuses)");
        sql.param("statuses", names(c.statuses()));
        if (c.within() != null) {
            where.add("EXISTS (SELECT 1 FROM site s WHERE s.program_id = p.id AND "
                    + "ST_Intersects(s.location, ST_GeomFromWKB(:within, 4326)))");
            sql.param("within", new WKBWriter().write(c.within()));
        }
        if (c.bbox() != null) {
            where.add("EXISTS (SELECT 1 FROM site s WHERE s.program_id = p.id AND "
                    + "s.location && ST_MakeEnvelope(:west, :south, :east, :north, 4326))");
            sql.param("west", c.bbox().getMinX()).param("south", c.bbox().getMinY())
                    .param("east", c.bbox().getMaxX()).param("north", c.bbox().getMaxY());
        }
        if (c.minAge() != null) {
            // A program that states no bounds is not excluded: most published feeds omit ages.
            where.add("coalesce(p.min_age, 0) <= :minAge AND coalesce(p.max_age, 120) >= :maxAge");
            sql.param("minAge", c.minAge()).param("maxAge", c.maxAge());
        }
        if (!c.models().isEmpty()) {
            where.add("p.model IN (:models)");
            sql.param("models", names(c.models()));
        }
        if (!c.settings().isEmpty()) {
            where.add("p.setting IN (:settings)");
            sql.param("settings", names(c.settings()));
        }
        if (!c.modes().isEmpty()) {
            where.add("p.delivery_mode IN (:modes)");
            sql.param("modes", names(c.modes()));
        }
        if (!c.languages().isEmpty()) {
            where.add("p.languages && ARRAY[:languages]::text[]");
            sql.param("languages", c.languages());
        }
        if (!c.partnerships().isEmpty()) {
            where.add("p.partnership_id IN (:partnerships)");
            sql.param("partnerships", c.partnerships());
        }
        return where;
    }

    private static void appendWhere(StringBuilder text, List<String> where) {
        if (!where.isEmpty()) {
            text.append(" WHERE ").append(String.join(" AND ", where));
        }
    }

    List<ProgramRow> findByIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM program p WHERE p.id IN (:ids)").param("ids", ids)
                .query(PROGRAM).list();
    }

    /** Active programs of each parent (partnership or organization, per {@code column}), by name. */
    Map<UUID, List<ProgramRow>> activeBy(String column, Collection<UUID> parentIds) {
        if (!column.equals("partnership_id") && !column.equals("organization_id")) {
            throw new IllegalArgumentException(column);
        }
        Map<UUID, List<ProgramRow>> byParent = new LinkedHashMap<>();
        if (parentIds.isEmpty()) {
            return byParent;
        }
        jdbc.sql("SELECT " + COLUMNS + ", p." + column + " AS parent FROM program p WHERE p." + column
                        + " IN (:ids) AND p.status = 'ACTIVE' ORDER BY p.name, p.id")
                .param("ids", parentIds)
                .query((ResultSet rs) -> {
                    byParent.computeIfAbsent(rs.getObject("parent", UUID.class), k -> new ArrayList<>())
                            .add(program(rs, 0));
                });
        return byParent;
    }

    Map<UUID, List<SiteRow>> sitesOf(Collection<UUID> programIds) {
        Map<UUID, List<SiteRow>> byProgram = new LinkedHashMap<>();
        if (programIds.isEmpty()) {
            return byProgram;
        }
        jdbc.sql("""
                SELECT id, program_id, name, address, city, province, postal_code, ST_Y(location) AS lat,
                       ST_X(location) AS lon, precision
                FROM site WHERE program_id IN (:ids) ORDER BY program_id, name, id""")
                .param("ids", programIds)
                .query((ResultSet rs) -> {
                    UUID programId = rs.getObject("program_id", UUID.class);
                    byProgram.computeIfAbsent(programId, k -> new ArrayList<>()).add(new SiteRow(
                            rs.getObject("id", UUID.class), programId, rs.getString("name"), rs.getString("address"),
                            rs.getString("city"), rs.getString("province"), rs.getString("postal_code"),
                            rs.getDouble("lat"), rs.getDouble("lon"),
                            LocationPrecision.valueOf(rs.getString("precision"))));
                });
        return byProgram;
    }

    /**
     * The area each program serves, as GeoJSON text with 6 decimals (~0.1 m): for RADIUS the union of geodesic
     * buffers around its sites, for REGION its own polygon or else its partnership's region, for POLYGON its
     * polygon. Null when a program has nothing to draw (a radius program without sites).
     */
    Map<UUID, String> serviceAreasGeoJson(Collection<UUID> programIds) {
        Map<UUID, String> areas = new LinkedHashMap<>();
        if (programIds.isEmpty()) {
            return areas;
        }
        jdbc.sql("""
                SELECT p.id, ST_AsGeoJSON(CASE p.service_area_kind
                    WHEN 'RADIUS' THEN (SELECT ST_Union(ST_Buffer(s.location::geography,
                                                                  p.service_radius_km * 1000, 24)::geometry)
                                        FROM site s WHERE s.program_id = p.id)
                    WHEN 'REGION' THEN coalesce(p.service_area, r.region)
                    ELSE p.service_area END, 6) AS area
                FROM program p JOIN partnership r ON r.id = p.partnership_id
                WHERE p.id IN (:ids)""")
                .param("ids", programIds)
                .query((ResultSet rs) -> {
                    areas.put(rs.getObject("id", UUID.class), rs.getString("area"));
                });
        return areas;
    }

    static ProgramRow program(ResultSet rs, int row) throws SQLException {
        return new ProgramRow(
                rs.getObject("id", UUID.class),
                rs.getObject("partnership_id", UUID.class),
                rs.getObject("organization_id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                (Integer) rs.getObject("min_age"),
                (Integer) rs.getObject("max_age"),
                enumOf(MentoringModel.class, rs.getString("model")),
                enumOf(ProgramSetting.class, rs.getString("setting")),
                strings(rs.getArray("languages")),
                DeliveryMode.valueOf(rs.getString("delivery_mode")),
                ServiceAreaKind.valueOf(rs.getString("service_area_kind")),
                (Double) rs.getObject("service_radius_km"),
                (Integer) rs.getObject("active_matches"),
                (Integer) rs.getObject("max_matches"),
                (Integer) rs.getObject("waitlist"),
                (Boolean) rs.getObject("fee_free"),
                rs.getString("fee_description"),
                ProgramStatus.valueOf(rs.getString("status")),
                rs.getString("source"),
                rs.getString("source_id"),
                instant(rs.getTimestamp("first_seen_at")),
                instant(rs.getTimestamp("last_changed_at")),
                instant(rs.getTimestamp("last_verified_at")));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> names(List<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).toList();
    }

    /** Named parameters collected while the statement is assembled. */
    private static final class Sql {
        final Map<String, Object> params = new LinkedHashMap<>();

        Sql param(String name, Object value) {
            params.put(name, value);
            return this;
        }
    }
}
