package ca.cmp.hub.coverage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.cache.AnalysisCache;
import ca.cmp.hub.cache.SingleFlight;
import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.coverage.internal.CoverageInputs;
import ca.cmp.hub.geo.areal.AreaFigures;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.GapAreas;
import ca.cmp.hub.geo.areal.ServiceReach;
import ca.cmp.hub.geo.areal.TwoStepFloatingCatchment;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the coverage, gap and access analyses of {@code geo} on the hub's data: inputs from PostGIS (EPSG:3347),
 * results cached in Redis by data version and request.
 *
 * <p>With kept inputs, the analysis of each recent region and filter is kept too ({@link AnalysisBaseline}, the
 * last {@value #KEPT} of them): at the same data version coverage, access and gaps are read from it; after a
 * write it is moved by the difference of the programs (those whose service area, ages or capacity changed, those
 * added and those gone) unless more than a tenth of them changed, when it is computed again. Scenarios run
 * their trials on it. Polygon-clipped regions (read and clipped by PostGIS every time) are computed in full.
 */
@Component
public class CoverageAnalysis {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CoverageAnalysis.class);

    /** Gap pieces smaller than this (m²) are slivers of rounding, not gaps. */
    public static final double SLIVER_M2 = 100;

    private final CoverageInputs inputs;
    private final AnalysisCache cache;
    private final JdbcClient jdbc;

    CoverageAnalysis(CoverageInputs inputs, AnalysisCache cache, JdbcClient jdbc) {
        this.inputs = inputs;
        this.cache = cache;
        this.jdbc = jdbc;
    }

    /** Statistics Canada Lambert (EPSG:3347), metres: the CRS of every geometry the analyses compute on. */
    public static final GeometryFactory LAMBERT = CoverageInputs.LAMBERT;

    /** A checked request (see {@link CoverageRequests}); the cache keys it by dataset id, region and filter. */
    public record Request(CensusDataset census, AnalysisRegion region, CoverageFilter filter)
            implements AnalysisCache.OfDataset {

        @Override
        public String dataset() {
            return census.id();
        }
    }

    public record AreaRow(String code, String name, String province, double youth, double covered, double coveredAreaShare,
            int programsReaching) {
    }

    // The cached results below are shared by every caller (AnalysisCache holds them): unmodifiable lists.
    public record Figures(List<AreaRow> areas, double youth, double covered, List<String> youthMethods,
            Instant programsAsOf, Instant computedAt) {
        public Figures {
            areas = List.copyOf(areas);
            youthMethods = List.copyOf(youthMethods);
        }
    }

    public record GapRow(String geometry, double unmetYouth, double areaKm2, List<String> areaCodes) {
        public GapRow {
            areaCodes = List.copyOf(areaCodes);
        }
    }

    public record Gaps(List<GapRow> gaps) {
        public Gaps {
            gaps = List.copyOf(gaps);
        }
    }

    public record AccessRow(String code, String name, double youth, double placesPer1000) {
    }

    public record Access(List<AccessRow> areas, double placesPer1000, List<String> youthMethods, Instant programsAsOf,
            Instant computedAt) {
        public Access {
            areas = List.copyOf(areas);
            youthMethods = List.copyOf(youthMethods);
        }
    }

    /** Segments per quarter circle of a radius program's service area (PostGIS {@code quad_segs}). */
    public int circleQuadrantSegments() {
        return inputs.circleQuadrantSegments();
    }

    public Figures coverage(Request request) {
        return cache.get("coverage", key(request), Figures.class, () -> figures(request));
    }

    /** The coverage figures, uncached: from the kept analysis when there is one, else computed in full. */
    public Figures figures(Request request) {
        List<AnalysisArea> areas;
        ArealCoverage.Result result;
        List<String> methods;
        if (keepsBaseline(request)) {
            AnalysisBaseline baseline = baseline(request);
            areas = baseline.areas();
            result = baseline.coverage();
            methods = baseline.youthMethods();
        } else {
            Loaded loaded = load(request);
            areas = loaded.areas();
            result = ArealCoverage.compute(loaded.units(), loaded.reaches(), request.filter().minAge(),
                    request.filter().maxAge());
            methods = loaded.youthMethods();
        }
        List<AreaRow> rows = new ArrayList<>(result.areas().size());
        for (int i = 0; i < result.areas().size(); i++) {
            AreaFigures f = result.areas().get(i);
            AnalysisArea area = areas.get(i);
            rows.add(new AreaRow(area.code(), area.name(), area.province(), f.youth(), f.covered(),
                    f.coveredAreaShare(), f.programsReaching()));
        }
        return new Figures(rows, result.youth(), result.covered(), methods, programsAsOf(), Instant.now());
    }

    /** How many analyses (region and filter) are kept at once. */
    static final int KEPT = 4;

    private final Map<Map<String, Object>, AnalysisBaseline> baselines = new java.util.LinkedHashMap<>(8, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, Object>, AnalysisBaseline> eldest) {
            return size() > KEPT;
        }
    };

    private final SingleFlight<List<Object>, AnalysisBaseline> building = new SingleFlight<>();

    private boolean keepsBaseline(Request request) {
        return inputs.keeps() && !request.region().clips();
    }

    /**
     * The analysis of this request at the current data version: kept, moved from the kept one of an older version
     * by the programs' difference, or computed (and kept, unless the region is clipped by a polygon).
     */
    public AnalysisBaseline baseline(Request request) {
        long version = inputs.version();
        Map<String, Object> key = key(request);
        AnalysisBaseline kept = kept(request, key);
        if (kept != null && kept.version() >= version) {
            return kept;
        }
        // Coverage, gaps and access of one request are often asked for together (a map's tiles and its report):
        // one of them builds the analysis, the others wait for it.
        return building.get(List.of(key, version), () -> build(request, key, version)).value();
    }

    private AnalysisBaseline kept(Request request, Map<String, Object> key) {
        if (!keepsBaseline(request)) {
            return null;
        }
        synchronized (baselines) {
            return baselines.get(key);
        }
    }

    private AnalysisBaseline build(Request request, Map<String, Object> key, long version) {
        AnalysisBaseline kept = kept(request, key);
        if (kept != null && kept.version() >= version) {
            return kept; // kept by a build that ended just before this one began
        }
        long t0 = System.nanoTime();
        List<AnalysisArea> all = inputs.areas(request.dataset(), request.region());
        List<ServiceReach> reaches = null;
        if (kept != null && kept.on(counted(all))) {
            // The same areas: only the programs are read, and the kept analysis moves by their difference.
            reaches = reaches(request, kept.extent());
            long t1 = System.nanoTime();
            if (kept.advance(version, reaches, Math.max(64, reaches.size() / 10))) {
                LOG.debug("analysis of {} moved to version {}: programs read in {} ms, moved in {} ms",
                        request.dataset(), version, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
                return kept;
            }
        }
        Loaded loaded = load(all, request, reaches);
        AnalysisBaseline fresh = new AnalysisBaseline(version, loaded, request.filter().minAge(),
                request.filter().maxAge());
        if (keepsBaseline(request)) {
            synchronized (baselines) {
                AnalysisBaseline other = baselines.get(key);
                if (other == null || other.version() < version) {
                    baselines.put(key, fresh);
                }
            }
        }
        return fresh;
    }

    public Gaps gaps(Request request) {
        return cache.get("gaps", key(request), Gaps.class, () -> {
            List<GapAreas.Gap> gaps;
            if (keepsBaseline(request)) {
                gaps = baseline(request).gaps();
            } else {
                Loaded loaded = load(request);
                gaps = GapAreas.find(loaded.units(), loaded.reaches(), request.filter().minAge(),
                        request.filter().maxAge(), SLIVER_M2);
            }
            List<GapAreas.Gap> top = gaps.subList(0, Math.min(gaps.size(), AnalysisArguments.MAX_GAPS));
            List<String> geoJson = toLonLatGeoJson(top);
            List<GapRow> rows = new ArrayList<>(top.size());
            for (int i = 0; i < top.size(); i++) {
                GapAreas.Gap g = top.get(i);
                rows.add(new GapRow(geoJson.get(i), g.unmetYouth(), g.area() / 1e6, g.unitIds()));
            }
            return new Gaps(rows);
        });
    }

    public Access access(Request request) {
        return cache.get("access", key(request), Access.class, () -> {
            List<AnalysisArea> areas;
            TwoStepFloatingCatchment.Result result;
            List<String> methods;
            if (keepsBaseline(request)) {
                AnalysisBaseline baseline = baseline(request);
                areas = baseline.areas();
                result = baseline.access();
                methods = baseline.youthMethods();
            } else {
                Loaded loaded = load(request);
                areas = loaded.areas();
                result = TwoStepFloatingCatchment.compute(loaded.units(), loaded.reaches(),
                        request.filter().minAge(), request.filter().maxAge());
                methods = loaded.youthMethods();
            }
            List<AccessRow> rows = new ArrayList<>(result.areas().size());
            for (int i = 0; i < result.areas().size(); i++) {
                TwoStepFloatingCatchment.Access a = result.areas().get(i);
                rows.add(new AccessRow(a.id(), areas.get(i).name(), a.youth(), a.placesPer1000()));
            }
            return new Access(rows, result.placesPer1000(), methods, programsAsOf(), Instant.now());
        });
    }

    /** A request's inputs; {@code extent} is the areas' envelope (EPSG:3347), empty without areas. */
    public record Loaded(List<AnalysisArea> areas, List<CensusUnit> units, List<ServiceReach> reaches,
            List<String> youthMethods, Envelope extent) {
    }

    public Loaded load(Request request) {
        return load(inputs.areas(request.dataset(), request.region()), request, null);
    }

    /** Areas whose youth the source suppressed count for nothing: not zero youth, unknown youth. */
    private static List<AnalysisArea> counted(List<AnalysisArea> all) {
        return all.stream().filter(a -> !a.youthUnknown()).toList();
    }

    /** The inputs on these areas; {@code reaches}: the programs as already read for them, or null. */
    private Loaded load(List<AnalysisArea> all, Request request, List<ServiceReach> reaches) {
        List<AnalysisArea> areas = counted(all);
        List<CensusUnit> units = new ArrayList<>(areas.size());
        Envelope extent = new Envelope();
        List<String> methods = new ArrayList<>();
        if (areas.size() < all.size()) {
            methods.add((all.size() - areas.size()) + " of the " + all.size() + " areas have youth counts the source "
                    + "suppressed (x, .., F): they are excluded from totals and ratios");
        }
        for (AnalysisArea a : areas) {
            units.add(new CensusUnit(a.code(), a.geometry(), a.youthByAge()));
            extent.expandToInclude(a.geometry().getEnvelopeInternal());
            if (!methods.contains(a.youthMethod())) {
                methods.add(a.youthMethod());
            }
        }
        if (reaches == null) {
            reaches = areas.isEmpty() ? new ArrayList<>() : reaches(request, extent);
        }
        return new Loaded(areas, units, reaches, methods, extent);
    }

    /** The fitting programs' reaches that meet {@code extent} (the areas' envelope, EPSG:3347). */
    private List<ServiceReach> reaches(Request request, Envelope extent) {
        List<ServiceReach> reaches = new ArrayList<>();
        for (CoverageInputs.Reach r : inputs.reaches(request.filter(), extent)) {
            if (r.serviceArea().isEmpty() || r.serviceArea().getDimension() != 2) {
                continue;
            }
            reaches.add(new ServiceReach(r.programId().toString(), r.serviceArea(), r.minAge(), r.maxAge(),
                    r.maxMatches() == null ? 0 : r.maxMatches(), r.waitlist() == null ? 0 : r.waitlist()));
        }
        return reaches;
    }

    public Instant programsAsOf() {
        return jdbc.sql("SELECT max(last_changed_at) FROM program").query(java.sql.Timestamp.class).optional()
                .map(java.sql.Timestamp::toInstant).orElse(null);
    }

    private List<String> toLonLatGeoJson(List<GapAreas.Gap> gaps) {
        if (gaps.isEmpty()) {
            return List.of();
        }
        WKBWriter wkb = new WKBWriter();
        String[] hex = gaps.stream().map(g -> WKBWriter.toHex(wkb.write(g.geometry()))).toArray(String[]::new);
        Map<Integer, String> byOrdinal = new HashMap<>();
        // Back to WGS 84 in one round trip: PostGIS' transform is the reference the loads used.
        jdbc.sql("""
                SELECT ord, ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromWKB(decode(g, 'hex')), 3347), 4326), 6)
                       AS json
                FROM unnest(:hex::text[]) WITH ORDINALITY AS t(g, ord)""")
                .param("hex", hex)
                .query((java.sql.ResultSet rs) -> {
                    byOrdinal.put(rs.getInt("ord"), rs.getString("json"));
                });
        List<String> result = new ArrayList<>(gaps.size());
        for (int i = 1; i <= gaps.size(); i++) {
            result.add(byOrdinal.get(i));
        }
        return result;
    }

    /** A cache key that does not depend on JTS object identity (the polygon is keyed by its WKT). */
    private static Map<String, Object> key(Request request) {
        Map<String, Object> key = new HashMap<>();
        key.put("dataset", request.dataset());
        AnalysisRegion r = request.region();
        key.put("province", r.province());
        key.put("areaCodes", r.areaCodes());
        key.put("polygon", r.polygon() == null ? null : r.polygon().toText());
        key.put("filter", request.filter());
        return key;
    }
}
