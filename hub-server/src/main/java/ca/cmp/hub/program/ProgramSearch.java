package ca.cmp.hub.program;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.ServiceAreaKind;
import org.locationtech.jts.io.WKBWriter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The read side of programs: every program query the API makes, in SQL that PostGIS can index.
 *
 * <p>A page is one statement, with its sites when they are asked for. "Near" finds sites with {@code ST_DWithin} on
 * the geography cast (served by the {@code site_location_geog_gix} expression index), on a first page within the
 * KNN bound computed in the same statement, groups them per program to the nearest site's geodesic distance, and
 * pages by keyset (distance, id). Other spatial filters test sites with the planar operators on the
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

    /**
     * A page: its programs in the criteria's order and, when asked for, the sites of each (keyed by program id,
     * each program's sites by name then id, as {@link #sitesOf} orders them); null when not asked for.
     */
    record Page(List<Hit> hits, Map<UUID, List<SiteRow>> sites) {
    }

    /** Up to {@code limit} programs after {@code after}, in the criteria's order. */
    List<Hit> find(ProgramCriteria criteria, ProgramCursor after, int limit) {
        return page(criteria, after, limit, true, false).hits();
    }

    /** {@code bounded}: whether a first near page may use the KNN bound (tests compare with and without). */
    List<Hit> find(ProgramCriteria criteria, ProgramCursor after, int limit, boolean bounded) {
        return page(criteria, after, limit, bounded, false).hits();
    }

    /** Up to {@code limit} programs after {@code after}, with their sites if {@code withSites}: one statement. */
    Page page(ProgramCriteria criteria, ProgramCursor after, int limit, boolean withSites) {
        return page(criteria, after, limit, true, withSites);
    }

    /**
     * The page's row counts (its limit, the KNN bound's site count and offset) are literals in the text, not
     * parameters: with them as parameters PostgreSQL's generic plan assumed a tenth of all sites, costed far above
     * the custom plans, and so every execution was planned again (about 0.9 ms of the near page's 2.5 ms in the
     * database). With literals the generic plan is costed as the custom plans are, has their shape, and is kept
     * after five executions. A statement text per page size: clients ask for a few sizes (default 20).
     */
    Page page(ProgramCriteria criteria, ProgramCursor after, int limit, boolean bounded, boolean withSites) {
        Sql sql = new Sql();
        StringBuilder text = new StringBuilder();
        String order;
        if (criteria.near() != null) {
            ProgramCriteria.Near near = criteria.near();
            sql.param("lon", near.longitude()).param("lat", near.latitude()).param("radius", near.radiusKm() * 1000);
            String within = "";
            if (bounded && after == null) {
                // The KNN bound (see knnBoundCtes) in the same statement: one round trip, one plan. When the nearest
                // sites do not settle it, the sphere condition falls back to the radius with margin, which every
                // site within the (spheroidal) radius meets.
                text.append(knnBoundCtes(criteria, limit, sql)).append(",\n");
                within = " AND ST_DWithin(s.location::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography,"
                        + " coalesce((SELECT sd FROM bound) * :margin, :outer), false)";
            } else {
                text.append("WITH ");
            }
            text.append("""
                    near AS (
                      SELECT s.program_id, min(ST_Distance(s.location::geography,
                             ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography)) AS dist
                      FROM site s
                      WHERE ST_DWithin(s.location::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography,
                                       :radius)""").append(within).append("""

                      GROUP BY s.program_id)
                    SELECT\s""").append(COLUMNS)
                    .append(", near.dist FROM near JOIN program p ON p.id = near.program_id");
            List<String> where = conditions(criteria, sql);
            if (after != null) {
                where.add("(near.dist, p.id) > (:afterDist, :afterId)");
                sql.param("afterDist", after.distanceMetres()).param("afterId", after.id());
            }
            appendWhere(text, where);
            text.append(" ORDER BY near.dist, p.id LIMIT ").append(limit);
            order = "page.dist, page.id";
        } else if (criteria.changedSince() != null) {
            // Served by program_changed_idx (V60): the page is an index range scan from the cursor on.
            text.append("SELECT ").append(COLUMNS).append(", NULL::double precision AS dist FROM program p");
            List<String> where = conditions(criteria, sql);
            if (after != null) {
                where.add("(p.last_changed_at, p.id) > (:afterChanged, :afterId)");
                sql.param("afterChanged", java.sql.Timestamp.from(after.changedAt())).param("afterId", after.id());
            }
            appendWhere(text, where);
            text.append(" ORDER BY p.last_changed_at, p.id LIMIT ").append(limit);
            order = "page.last_changed_at, page.id";
        } else {
            text.append("SELECT ").append(COLUMNS).append(", NULL::double precision AS dist FROM program p");
            List<String> where = conditions(criteria, sql);
            if (after != null) {
                where.add("(p.name, p.id) > (:afterName, :afterId)");
                sql.param("afterName", after.name()).param("afterId", after.id());
            }
            appendWhere(text, where);
            text.append(" ORDER BY p.name, p.id LIMIT ").append(limit);
            order = "page.name, page.id";
        }
        if (!withSites) {
            return new Page(jdbc.sql(text.toString()).params(sql.params).query((rs, n) -> hit(rs)).list(), null);
        }
        // The page's sites in the same statement, one row per site (a program without sites: one row of nulls),
        // in page order: the page's programs are already at hand and the sites' batch needs no second round trip.
        String paged = "WITH page AS (" + text + """
                ) SELECT page.*, s.id AS site_id, s.name AS site_name, s.address AS site_address, s.city AS site_city,
                         s.province AS site_province, s.postal_code AS site_postal_code, ST_Y(s.location) AS site_lat,
                         ST_X(s.location) AS site_lon, s.precision AS site_precision
                FROM page LEFT JOIN site s ON s.program_id = page.id
                ORDER BY\s""" + order + ", s.name, s.id";
        List<Hit> hits = new ArrayList<>();
        Map<UUID, List<SiteRow>> sites = new LinkedHashMap<>();
        jdbc.sql(paged).params(sql.params).query((ResultSet rs) -> {
            UUID id = rs.getObject("id", UUID.class);
            List<SiteRow> own = sites.get(id);
            if (own == null) {
                hits.add(hit(rs));
                own = new ArrayList<>(2);
                sites.put(id, own);
            }
            UUID siteId = rs.getObject("site_id", UUID.class);
            if (siteId != null) {
                own.add(new SiteRow(siteId, id, rs.getString("site_name"), rs.getString("site_address"),
                        rs.getString("site_city"), rs.getString("site_province"), rs.getString("site_postal_code"),
                        rs.getDouble("site_lat"), rs.getDouble("site_lon"),
                        LocationPrecision.valueOf(rs.getString("site_precision"))));
            }
        });
        return new Page(hits, sites);
    }

    private static Hit hit(ResultSet rs) throws SQLException {
        double dist = rs.getDouble("dist");
        return new Hit(program(rs, 0), rs.wasNull() ? Double.NaN : dist);
    }

    /**
     * The KNN bound of a first "near" page as SQL ({@code WITH knn AS (…), bound AS (…)}): the sites nearest the
     * point in index order (the cheap spherical distance) among fitting programs, and the spherical distance at
     * which the {@code limit}-th distinct program appears among those within the radius (with margin), i.e. the
     * {@code limit}-th smallest per-program nearest distance; no row when the nearest sites do not settle it (many
     * sites per program, or fewer fitting programs than the page within the radius).
     */
    private static String knnBoundCtes(ProgramCriteria criteria, int limit, Sql sql) {
        ProgramCriteria.Near near = criteria.near();
        sql.param("outer", near.radiusKm() * 1000 * SPHERE_TO_SPHEROID_MARGIN).param("margin", SPHERE_TO_SPHEROID_MARGIN);
        StringBuilder text = new StringBuilder("""
                WITH knn AS MATERIALIZED (
                  SELECT s.program_id, s.location::geography <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography AS sd
                  FROM site s JOIN program p ON p.id = s.program_id
                  WHERE TRUE""");
        conditions(criteria, sql).forEach(w -> text.append(" AND ").append(w));
        // Pure KNN order, no radius condition: with one, the planner drops the index-ordered scan and sorts every
        // site within the radius. The radius is applied to the ordered distances afterwards.
        text.append("""

                  ORDER BY s.location::geography <-> ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography LIMIT\s""")
                .append(limit * KNN_SITES_PER_PROGRAM).append("""
                ),
                bound AS (
                  SELECT min(sd) AS sd FROM knn WHERE sd <= :outer GROUP BY program_id
                  ORDER BY 1 OFFSET\s""").append(limit - 1).append(" LIMIT 1)");
        return text.toString();
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
        if (c.changedSince() != null) {
            where.add("p.last_changed_at > :changedSince");
            sql.param("changedSince", java.sql.Timestamp.from(c.changedSince()));
        }
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
        } else if (!c.includeRetired()) {
            where.add("p.partnership_id IN (SELECT r.id FROM partnership r WHERE r.retired_at IS NULL)");
        }
        return where;
    }

    private static void appendWhere(StringBuilder text, List<String> where) {
        if (!where.isEmpty()) {
            text.append(" WHERE ").append(String.join(" AND ", where));
        }
    }

    /**
     * What narrows a numbered page beyond the criteria (each part optional): programs changed at or after an
     * instant, of one organization, among some ids.
     */
    record Narrowing(Instant changedSince, UUID organizationId, Collection<UUID> ids) {
    }

    /** Programs meeting the criteria and the narrowing, by name then id, from {@code offset}: one statement. */
    List<ProgramRow> numberedPage(ProgramCriteria criteria, Narrowing narrowing, long offset, int limit) {
        Sql sql = new Sql();
        StringBuilder text = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM program p");
        appendWhere(text, narrowed(criteria, narrowing, sql));
        text.append(" ORDER BY p.name, p.id LIMIT :limit OFFSET :offset");
        sql.param("limit", limit).param("offset", offset);
        return jdbc.sql(text.toString()).params(sql.params).query(PROGRAM).list();
    }

    long count(ProgramCriteria criteria, Narrowing narrowing) {
        Sql sql = new Sql();
        StringBuilder text = new StringBuilder("SELECT count(*) FROM program p");
        appendWhere(text, narrowed(criteria, narrowing, sql));
        return jdbc.sql(text.toString()).params(sql.params).query(Long.class).single();
    }

    /** A program at one of its sites; a null site is the program's online presence (VIRTUAL or HYBRID). */
    record Link(UUID programId, UUID siteId) {
    }

    /**
     * The links between programs meeting the criteria and the narrowing and their sites, with one online link per
     * VIRTUAL or HYBRID program after its sites, by program name and id then site name and id: one statement.
     */
    List<Link> links(ProgramCriteria criteria, Narrowing narrowing, long offset, int limit) {
        Sql sql = new Sql();
        String text = linksSql(criteria, narrowing, sql) + """
                 SELECT program_id, site_id FROM links
                ORDER BY program_name, program_id, site_id IS NULL, site_name, site_id LIMIT :limit OFFSET :offset""";
        sql.param("limit", limit).param("offset", offset);
        return jdbc.sql(text).params(sql.params).query((rs, n) -> new Link(rs.getObject("program_id", UUID.class),
                rs.getObject("site_id", UUID.class))).list();
    }

    long countLinks(ProgramCriteria criteria, Narrowing narrowing) {
        Sql sql = new Sql();
        return jdbc.sql(linksSql(criteria, narrowing, sql) + " SELECT count(*) FROM links").params(sql.params)
                .query(Long.class).single();
    }

    private static String linksSql(ProgramCriteria criteria, Narrowing narrowing, Sql sql) {
        String where = " WHERE " + String.join(" AND ", narrowed(criteria, narrowing, sql));
        return "WITH links AS (SELECT p.id AS program_id, p.name AS program_name, s.id AS site_id, s.name AS site_name"
                + " FROM program p JOIN site s ON s.program_id = p.id" + where
                + " UNION ALL SELECT p.id, p.name, NULL::uuid, NULL::text FROM program p" + where
                + " AND p.delivery_mode IN ('VIRTUAL', 'HYBRID'))";
    }

    java.util.Optional<UUID> programOfSite(UUID siteId) {
        return jdbc.sql("SELECT program_id FROM site WHERE id = :id").param("id", siteId).query(UUID.class)
                .optional();
    }

    /** Ids of the organizations with a program meeting the criteria, by name then id, from {@code offset}. */
    List<UUID> organizationsWith(ProgramCriteria criteria, long offset, int limit) {
        Sql sql = new Sql();
        String text = "SELECT o.id FROM organization o WHERE " + organizationHas(criteria, sql)
                + " ORDER BY o.name, o.id LIMIT :limit OFFSET :offset";
        sql.param("limit", limit).param("offset", offset);
        return jdbc.sql(text).params(sql.params).query(UUID.class).list();
    }

    long countOrganizationsWith(ProgramCriteria criteria) {
        Sql sql = new Sql();
        return jdbc.sql("SELECT count(*) FROM organization o WHERE " + organizationHas(criteria, sql))
                .params(sql.params).query(Long.class).single();
    }

    private static String organizationHas(ProgramCriteria criteria, Sql sql) {
        return "EXISTS (SELECT 1 FROM program p WHERE p.organization_id = o.id AND "
                + String.join(" AND ", conditions(criteria, sql)) + ")";
    }

    private static List<String> narrowed(ProgramCriteria criteria, Narrowing narrowing, Sql sql) {
        List<String> where = conditions(criteria, sql);
        if (narrowing.changedSince() != null) {
            where.add("p.last_changed_at >= :changedSince");
            sql.param("changedSince", Timestamp.from(narrowing.changedSince()));
        }
        if (narrowing.organizationId() != null) {
            where.add("p.organization_id = :organizationId");
            sql.param("organizationId", narrowing.organizationId());
        }
        if (narrowing.ids() != null) {
            // An empty list matches nothing (IN () is not SQL).
            if (narrowing.ids().isEmpty()) {
                where.add("FALSE");
            } else {
                where.add("p.id IN (:narrowIds)");
                sql.param("narrowIds", narrowing.ids());
            }
        }
        return where;
    }

    List<ProgramRow> findByIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM program p WHERE p.id IN (:ids)").param("ids", ids)
                .query(PROGRAM).list();
    }

    /** The first {@code first} active programs of each parent (partnership or organization, per {@code column}), by name. */
    Map<UUID, List<ProgramRow>> activeBy(String column, Collection<UUID> parentIds, int first) {
        if (!column.equals("partnership_id") && !column.equals("organization_id")) {
            throw new IllegalArgumentException(column);
        }
        Map<UUID, List<ProgramRow>> byParent = new LinkedHashMap<>();
        if (parentIds.isEmpty()) {
            return byParent;
        }
        // Ranked per parent in the database: a partnership of thousands of programs costs its first page only.
        jdbc.sql("SELECT " + COLUMNS + ", p." + column + " AS parent FROM program p JOIN (SELECT id FROM (SELECT id,"
                        + " row_number() OVER (PARTITION BY " + column + " ORDER BY name, id) AS rank FROM program"
                        + " WHERE " + column + " IN (:ids) AND status = 'ACTIVE') ranked WHERE rank <= :first) r"
                        + " ON r.id = p.id ORDER BY p.name, p.id")
                .param("ids", parentIds)
                .param("first", first)
                .query((ResultSet rs) -> {
                    byParent.computeIfAbsent(rs.getObject("parent", UUID.class), k -> new ArrayList<>())
                            .add(program(rs, 0));
                });
        return byParent;
    }

    /** How many ACTIVE programs each partnership has; those with none are absent. */
    Map<UUID, Integer> activeCounts(Collection<UUID> partnershipIds) {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        if (partnershipIds.isEmpty()) {
            return counts;
        }
        jdbc.sql("""
                SELECT partnership_id, count(*) AS n FROM program WHERE partnership_id IN (:ids) AND status = 'ACTIVE'
                GROUP BY partnership_id""").param("ids", partnershipIds).query((ResultSet rs) -> {
                    counts.put(rs.getObject("partnership_id", UUID.class), rs.getInt("n"));
                });
        return counts;
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
