package ca.cmp.hub.coverage.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import ca.cmp.hub.coverage.AnalysisArea;
import ca.cmp.hub.coverage.AnalysisRegion;
import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.geo.areal.CircleVertices;

import ca.cmp.hub.graphql.InvalidArgumentException;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads what a coverage analysis needs out of PostGIS, already in Statistics Canada Lambert (EPSG:3347, metres):
 * the census areas of a region with their youth by single year of age, and the service areas of the fitting
 * programs.
 *
 * <p>Projecting tens of thousands of census areas and buffering thousands of sites costs far more than the
 * analysis itself, and little of it changes between two writes. So, unless {@code keepInputs} is off, both are
 * kept in memory: each dataset's areas on first use, until the layer is loaded again (its {@code loaded_at}
 * changes; a partnership's sync does not touch census areas, so it does not cost the next analysis their
 * projection); the service areas of all ACTIVE programs, carried from one {@link DataVersion} to the next (every
 * writing transaction of the hub bumps it): at a new version only the programs changed since the last read
 * ({@code last_changed_at}, which every write of a program sets to its transaction's start) are read and
 * buffered again, those no longer ACTIVE dropped, and a partnership whose region changed has its region-served
 * programs read again. Unchanged programs keep the very same geometry objects, so an analysis kept across
 * versions can tell what moved by identity. "Since" is the earlier of the last read's time and the start of the
 * oldest transaction then open: a transaction that started earlier but committed later stamps its rows with its
 * start, and is read next time. A request then reads only the ids, ages and capacity of the programs its filter
 * selects. The version is read before the data, so data newer than its version may be filed under it (and read
 * again at the next version), never older; a program added between the two reads is left out of that one
 * request, whose result is cached under the older version. Edits made behind the hub's back (plain SQL that does
 * not set {@code last_changed_at}, or on census areas) are seen after the next layer load or restart.
 * Polygon-clipped regions are always read from PostGIS, which clips them.
 *
 * <p>Service areas are built by PostGIS on the spheroid ({@code ST_Buffer} on geography: a true r-km circle
 * whatever the latitude, drawn with the vertices {@link #circleQuadrantSegments} gives) and only then projected, so the projection's scale distortion (EPSG:3347 is conformal,
 * not equal-area) never shrinks or stretches a radius. Areal weighting later uses ratios within one census area,
 * where the scale factor is practically constant.
 */
@Component
public class CoverageInputs {

    public static final int SRID = 3347;
    public static final GeometryFactory LAMBERT = new GeometryFactory(new PrecisionModel(), SRID);

    private final JdbcClient jdbc;
    private final DataVersion dataVersion;
    private final boolean keepInputs;
    private final int quadrantSegments;
    private volatile Snapshot snapshot = new Snapshot(Long.MIN_VALUE);

    @Autowired
    CoverageInputs(JdbcClient jdbc, DataVersion dataVersion, CoverageProperties properties) {
        this(jdbc, dataVersion, properties.keepInputs(), properties.circleQuadrantSegments());
    }

    /** With circles of the default area tolerance (for tests and benches). */
    CoverageInputs(JdbcClient jdbc, DataVersion dataVersion, boolean keepInputs) {
        this(jdbc, dataVersion, keepInputs,
                CircleVertices.quadrantSegments(CoverageProperties.DEFAULT_CIRCLE_AREA_TOLERANCE));
    }

    CoverageInputs(JdbcClient jdbc, DataVersion dataVersion, boolean keepInputs, int quadrantSegments) {
        this.jdbc = jdbc;
        this.dataVersion = dataVersion;
        this.keepInputs = keepInputs;
        this.quadrantSegments = quadrantSegments;
    }

    /**
     * Segments per quarter circle of every radius program's service area ({@code quad_segs} of PostGIS'
     * {@code ST_Buffer}), from {@code hub.coverage.circle-area-tolerance}: whatever builds a disc to compare with
     * or stand in for a program's (a scenario's moved or added program) uses this count.
     */
    public int circleQuadrantSegments() {
        return quadrantSegments;
    }

    /** A dataset's areas (all of it, code order) as of one load of the layer. */
    private record KeptAreas(Timestamp loadedAt, List<AnalysisArea> areas) {
    }

    private final Map<String, KeptAreas> areasByDataset = new ConcurrentHashMap<>();

    /**
     * The inputs of one data version: service areas per ACTIVE program, the time from which the next version
     * must read programs again, and each partnership's region digest (for the programs its region serves).
     */
    private static final class Snapshot {
        final long version;
        volatile Map<UUID, Geometry> serviceAreas;
        volatile Timestamp since;
        volatile Map<UUID, String> regions;

        Snapshot(long version) {
            this.version = version;
        }
    }

    /** The last complete snapshot, the base the next version's is moved from. */
    private volatile Snapshot lastComplete;
    /** Programs read again to move kept service areas to a new version, since start (for tests and benches). */
    private final java.util.concurrent.atomic.AtomicLong reread = new java.util.concurrent.atomic.AtomicLong();

    /** How many programs' service areas were read again to carry them across versions, since start. */
    public long programsReread() {
        return reread.get();
    }

    /** The current data version (what the kept inputs and analyses are keyed by). */
    public long version() {
        return dataVersion.current();
    }

    /** Whether inputs are kept in memory between analyses. */
    public boolean keeps() {
        return keepInputs;
    }

    private Snapshot current() {
        long version = dataVersion.current();
        synchronized (this) {
            // Never back: a request that read an older version must not replace a newer snapshot.
            if (snapshot.version < version) {
                snapshot = new Snapshot(version);
            }
            return snapshot.version == version ? snapshot : new Snapshot(version);
        }
    }

    /** A fitting program's reach: its service area in EPSG:3347, ages served, and capacity. */
    public record Reach(UUID programId, int minAge, int maxAge, Geometry serviceArea, Integer maxMatches,
            Integer activeMatches, Integer waitlist) {
    }

    public List<AnalysisArea> areas(String dataset, AnalysisRegion region) {
        if (!keepInputs || region.clips()) {
            return read(dataset, region);
        }
        List<AnalysisArea> all = keptAreas(dataset);
        if (region.province() == null && (region.areaCodes() == null || region.areaCodes().isEmpty())) {
            return all;
        }
        Set<String> codes = region.areaCodes() == null || region.areaCodes().isEmpty() ? null
                : new HashSet<>(region.areaCodes());
        return all.stream().filter(a -> region.province() == null || region.province().equals(a.province()))
                .filter(a -> codes == null || codes.contains(a.code())).toList();
    }

    /**
     * The dataset's areas as of its last load. Read its load time before the areas, so newer areas may be filed
     * under an older load (and read again next time), never older ones under a newer.
     */
    private List<AnalysisArea> keptAreas(String dataset) {
        Timestamp loadedAt = jdbc.sql("SELECT loaded_at FROM census_dataset WHERE id = :dataset")
                .param("dataset", dataset).query(Timestamp.class).optional().orElse(null);
        if (loadedAt == null) {
            return read(dataset, AnalysisRegion.all());
        }
        KeptAreas kept = areasByDataset.get(dataset);
        if (kept == null || !kept.loadedAt().equals(loadedAt)) {
            kept = new KeptAreas(loadedAt, read(dataset, AnalysisRegion.all()));
            areasByDataset.put(dataset, kept);
        }
        return kept.areas();
    }

    /**
     * A clipped area keeps the youth of its part inside the clip (its youth times the clipped share of its land, on
     * the spheroid: youth are spread evenly over their area, as everywhere in the analysis), so that a region made
     * of whole areas counts their youth and no more than slivers of its neighbours.
     */
    private List<AnalysisArea> read(String dataset, AnalysisRegion region) {
        String clipped = "ST_Multi(ST_CollectionExtract(ST_Intersection(a.boundary, ST_GeomFromWKB(:clip, 4326)), 3))";
        StringBuilder sql = new StringBuilder("""
                SELECT code, name, province, youth_by_age, youth_method, youth_unknown,
                       ST_AsBinary(ST_Transform(g, 3347)) AS geom, %s AS share
                FROM (SELECT a.code, a.name, a.province, a.youth_by_age, a.youth_method, a.youth_unknown, a.boundary,
                             %s AS g
                      FROM census_area a WHERE dataset_id = :dataset""".formatted(region.clips()
                ? "coalesce(ST_Area(g::geography) / nullif(ST_Area(boundary::geography), 0), 0)" : "1.0",
                region.clips() ? clipped : "a.boundary"));
        Map<String, Object> params = new HashMap<>();
        params.put("dataset", dataset);
        region.appendTo(sql, params, "a.boundary");
        sql.append(") c ORDER BY code");
        WKBReader wkb = new WKBReader(LAMBERT);
        List<AnalysisArea> areas = jdbc.sql(sql.toString()).params(params).query((ResultSet rs, int n) -> new AnalysisArea(
                rs.getString("code"), rs.getString("name"), rs.getString("province"), read(wkb, rs.getBytes("geom")),
                scaled(ages(rs.getArray("youth_by_age")), Math.min(1, rs.getDouble("share"))),
                rs.getString("youth_method"), rs.getBoolean("youth_unknown"))).list();
        return areas.stream().filter(a -> !a.geometry().isEmpty()).toList();
    }

    private static double[] scaled(double[] ages, double share) {
        if (share != 1) {
            for (int i = 0; i < ages.length; i++) {
                ages[i] *= share;
            }
        }
        return ages;
    }

    /**
     * Service areas of ACTIVE programs passing {@code filter} that reach {@code extent} (EPSG:3347). Programs
     * that state no ages are taken to serve 6 to 18 (they publish as youth programs); the filter's age range is
     * applied per age by the analysis. A confirmed duplicate group counts once (see {@link #appendCountedOnce}).
     */
    public List<Reach> reaches(CoverageFilter filter, Envelope extent) {
        if (!keepInputs) {
            return readReaches(filter, extent);
        }
        Snapshot s = current();
        Map<UUID, Geometry> areas = s.serviceAreas;
        if (areas == null) {
            synchronized (s) {
                areas = s.serviceAreas;
                if (areas == null) {
                    fill(s, lastComplete);
                    areas = s.serviceAreas;
                    synchronized (this) {
                        if (lastComplete == null || lastComplete.version < s.version) {
                            lastComplete = s;
                        }
                    }
                }
            }
        }
        StringBuilder sql = new StringBuilder("""
                SELECT p.id, coalesce(p.min_age, 6) AS min_age, coalesce(p.max_age, 18) AS max_age,
                       p.max_matches, p.active_matches, p.waitlist
                FROM program p WHERE p.status = 'ACTIVE'""");
        Map<String, Object> params = new HashMap<>();
        filter.appendTo(sql, params);
        appendCountedOnce(sql, params, filter);
        Map<UUID, Geometry> known = areas;
        List<Reach> reaches = new ArrayList<>();
        jdbc.sql(sql.toString()).params(params).query((ResultSet rs) -> {
            UUID id = rs.getObject("id", UUID.class);
            Geometry area = known.get(id);
            if (area != null && area.getEnvelopeInternal().intersects(extent)) {
                reaches.add(new Reach(id, rs.getInt("min_age"), rs.getInt("max_age"), area,
                        (Integer) rs.getObject("max_matches"), (Integer) rs.getObject("active_matches"),
                        (Integer) rs.getObject("waitlist")));
            }
        });
        return reaches;
    }

    /**
     * Fills a snapshot: from {@code base} (an older version's) by reading again only the programs changed since
     * it, else from scratch.
     */
    private void fill(Snapshot s, Snapshot base) {
        // Client sessions only: autovacuum and ANALYZE workers hold long transactions after a bulk load but never
        // stamp a program, and counting them made a later fill read again every program written meanwhile.
        Timestamp since = jdbc.sql("""
                SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity
                                     WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
                                       AND backend_type = 'client backend'
                                       AND datname = current_database()))""").query(Timestamp.class).single();
        Map<UUID, String> regions = new HashMap<>();
        jdbc.sql("SELECT id, md5(coalesce(ST_AsBinary(region), ''::bytea)) AS digest FROM partnership")
                .query((ResultSet rs) -> {
                    regions.put(rs.getObject("id", UUID.class), rs.getString("digest"));
                });
        Map<UUID, Geometry> areas;
        if (base == null || base.serviceAreas == null) {
            areas = new HashMap<>();
            for (Reach r : readReaches(null, null)) {
                areas.put(r.programId(), r.serviceArea());
            }
        } else {
            areas = new HashMap<>(base.serviceAreas);
            List<UUID> regionChanged = new ArrayList<>();
            regions.forEach((id, digest) -> {
                if (!digest.equals(base.regions.get(id))) {
                    regionChanged.add(id);
                }
            });
            List<UUID> changed = jdbc.sql("""
                    SELECT id FROM program p
                    WHERE p.last_changed_at >= :since
                       OR (p.service_area_kind = 'REGION' AND p.service_area IS NULL
                           AND p.partnership_id = ANY(CAST(:regions AS uuid[])))""")
                    .param("since", base.since).param("regions", strings(regionChanged))
                    .query(UUID.class).list();
            reread.addAndGet(changed.size());
            changed.forEach(areas::remove);
            if (!changed.isEmpty()) {
                for (Reach r : readReaches(changed, null, null)) {
                    areas.put(r.programId(), r.serviceArea());
                }
            }
        }
        s.since = since;
        s.regions = regions;
        s.serviceAreas = areas;
    }

    private List<Reach> readReaches(CoverageFilter filter, Envelope extent) {
        return readReaches(null, filter, extent);
    }

    /**
     * From PostGIS; null ids, filter and extent read every ACTIVE program with a service area (ids: only those
     * programs).
     */
    private List<Reach> readReaches(List<UUID> ids, CoverageFilter filter, Envelope extent) {
        StringBuilder sql = new StringBuilder("""
                WITH fitting AS (
                  SELECT p.id, coalesce(p.min_age, 6) AS min_age, coalesce(p.max_age, 18) AS max_age,
                         p.max_matches, p.active_matches, p.waitlist,
                         CASE p.service_area_kind
                           WHEN 'RADIUS' THEN (SELECT ST_Union(ST_Buffer(s.location::geography,
                                                                         p.service_radius_km * 1000,
                                                                         :quadSegs)::geometry)
                                               FROM site s WHERE s.program_id = p.id)
                           WHEN 'REGION' THEN coalesce(p.service_area, r.region)
                           ELSE p.service_area END AS area
                  FROM program p JOIN partnership r ON r.id = p.partnership_id
                  WHERE p.status = 'ACTIVE'""");
        Map<String, Object> params = new HashMap<>();
        params.put("quadSegs", quadrantSegments);
        if (ids != null) {
            sql.append(" AND p.id = ANY(CAST(:ids AS uuid[]))");
            params.put("ids", strings(ids));
        }
        if (filter != null) {
            // A request's programs (the snapshot's fills read every ACTIVE program, with no filter).
            filter.appendTo(sql, params);
            appendCountedOnce(sql, params, filter);
        }
        sql.append("""
                ), projected AS (SELECT f.*, ST_Transform(f.area, 3347) AS lambert FROM fitting f WHERE area IS NOT NULL)
                SELECT id, min_age, max_age, max_matches, active_matches, waitlist, ST_AsBinary(lambert) AS geom
                FROM projected""");
        if (extent != null) {
            sql.append(" WHERE lambert && ST_MakeEnvelope(:minX, :minY, :maxX, :maxY, 3347)");
            params.put("minX", extent.getMinX());
            params.put("minY", extent.getMinY());
            params.put("maxX", extent.getMaxX());
            params.put("maxY", extent.getMaxY());
        }
        WKBReader wkb = new WKBReader(LAMBERT);
        return jdbc.sql(sql.toString()).params(params).query((ResultSet rs, int n) -> new Reach(
                rs.getObject("id", UUID.class), rs.getInt("min_age"), rs.getInt("max_age"),
                read(wkb, rs.getBytes("geom")), (Integer) rs.getObject("max_matches"),
                (Integer) rs.getObject("active_matches"), (Integer) rs.getObject("waitlist"))).list();
    }

    /**
     * Leaves out a program (alias {@code p}) of a CONFIRMED duplicate group (tables of the {@code duplicate}
     * feature, docs/duplicates.md) when another ACTIVE member passing the same filter outranks it: the most
     * recently verified or changed ({@code greatest(last_verified_at, last_changed_at)}), then the smallest id. So
     * a group counts once, through one member, and through another one when a filter leaves the first out.
     */
    private static void appendCountedOnce(StringBuilder sql, Map<String, Object> params, CoverageFilter filter) {
        // The space first: a text block drops the indentation its lines share, and the filter may end in a name.
        sql.append(' ').append("""
                 AND NOT EXISTS (
                  SELECT 1 FROM duplicate_member mine
                  JOIN duplicate_group g ON g.id = mine.group_id AND g.status = 'CONFIRMED'
                  JOIN duplicate_member o ON o.group_id = mine.group_id AND o.program_id <> mine.program_id
                  JOIN program me ON me.id = mine.program_id
                  WHERE mine.program_id = p.id
                    AND EXISTS (SELECT 1 FROM program p WHERE p.id = o.program_id AND p.status = 'ACTIVE'
                                  AND (greatest(p.last_verified_at, p.last_changed_at), me.id)
                                      > (greatest(me.last_verified_at, me.last_changed_at), p.id)""");
        // The same conditions on the outranking member (its alias is p in there); same names, same values.
        filter.appendTo(sql, params);
        sql.append("))");
    }

    private static String[] strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static Geometry read(WKBReader wkb, byte[] bytes) {
        try {
            Geometry g = wkb.read(bytes);
            g.setSRID(SRID);
            return g;
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned unreadable WKB", e);
        }
    }

    private static double[] ages(Array array) throws java.sql.SQLException {
        Double[] boxed = (Double[]) array.getArray();
        double[] ages = new double[boxed.length];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = boxed[i];
        }
        return ages;
    }

    public static List<String> codes(List<AnalysisArea> areas) {
        List<String> codes = new ArrayList<>(areas.size());
        areas.forEach(a -> codes.add(a.code()));
        return codes;
    }

    public static void requireDataset(JdbcClient jdbc, String dataset) {
        if (jdbc.sql("SELECT count(*) FROM census_dataset WHERE id = :id").param("id", dataset).query(Integer.class)
                .single() == 0) {
            throw new InvalidArgumentException("dataset", "no census dataset \"" + dataset + "\" is loaded");
        }
    }
}
