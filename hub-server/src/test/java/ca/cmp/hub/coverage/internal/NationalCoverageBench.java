package ca.cmp.hub.coverage.internal;

import ca.cmp.hub.coverage.AnalysisRegion;
import ca.cmp.hub.coverage.AnalysisArea;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.CircleVertices;
import ca.cmp.hub.geo.areal.IncrementalCoverage;
import ca.cmp.hub.geo.areal.ServiceReach;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * National-scale coverage benchmark (run by bench/coverage-national.sh, not a unit test): the hub's analysis,
 * end to end from PostGIS, against the best plain PostGIS SQL for the same figure, on the same database; then
 * what-if changes re-evaluated incrementally. Prints a report; exits non-zero if the results differ by more than
 * 0.1%.
 *
 * <p>usage: NationalCoverageBench JDBC_URL DATASET [DATASET...]
 */
public final class NationalCoverageBench {

    private static long mostInUse;

    private NationalCoverageBench() {
    }

    public static void main(String[] args) {
        // One connection for everything: the SQL baseline builds a temporary table across statements.
        // The bench's server asks for a password (bench/lib/servers.sh exports it as PGPASSWORD, as psql reads it).
        String password = System.getenv().getOrDefault("PGPASSWORD", "");
        SingleConnectionDataSource ds = new SingleConnectionDataSource(args[0], "hub", password, true);
        JdbcClient jdbc = JdbcClient.create(ds);
        jdbc.sql("SET plan_cache_mode = force_custom_plan").update();
        DataVersion version = new DataVersion(new JdbcTemplate(ds), event -> { });
        // Circles as the hub draws them, unless -Dhub.coverage.circle-area-tolerance asks otherwise (0.00161 draws
        // the 64-gons of earlier runs); the SQL peer buffers with the same count, so both compute the same figure.
        double tolerance = Double.parseDouble(System.getProperty("hub.coverage.circle-area-tolerance",
                String.valueOf(CoverageProperties.DEFAULT_CIRCLE_AREA_TOLERANCE)));
        CoverageInputs inputs = new CoverageInputs(jdbc, version, true, CircleVertices.quadrantSegments(tolerance));
        System.out.printf("circles: area tolerance %s, %d vertices%n", tolerance, 4 * inputs.circleQuadrantSegments());
        boolean ok = true;
        for (String dataset : Arrays.copyOfRange(args, 1, args.length)) {
            ok &= run(jdbc, inputs, dataset);
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap: ran within -Xmx %d MB; most in use after a run %d MB; live after GC with every "
                + "dataset's inputs kept %d MB (target < 512 MB)%n", rt.maxMemory() >> 20, mostInUse >> 20,
                (rt.totalMemory() - rt.freeMemory()) >> 20);
        System.exit(ok ? 0 : 1);
    }

    /** Unmeasured runs (and what-if changes) before the measured ones, per layer. */
    static final int WARM_UP = 10;

    private static boolean run(JdbcClient jdbc, CoverageInputs inputs, String dataset) {
        System.out.println("== " + dataset);
        double hubCovered = 0;
        // Run 0 is cold: the inputs of this data version are read from PostGIS (areas projected, sites
        // buffered); the later runs find them in memory, as every analysis does until the next write. Runs 1 to
        // WARM_UP are not measured: the JIT compiles a layer's code paths (the large-unit ones only after a few
        // runs) as it would in a hub that has served some requests; the runs after them are.
        long[] hubMs = new long[1 + WARM_UP + 5];
        long[][] phases = new long[hubMs.length][];
        List<CensusUnit> units = null;
        List<ServiceReach> reaches = null;
        for (int i = 0; i < hubMs.length; i++) {
            long t0 = System.nanoTime();
            List<AnalysisArea> areas = inputs.areas(dataset, AnalysisRegion.all());
            long t1 = System.nanoTime();
            units = new ArrayList<>(areas.size());
            Envelope extent = new Envelope();
            for (AnalysisArea a : areas) {
                units.add(new CensusUnit(a.code(), a.geometry(), a.youthByAge()));
                extent.expandToInclude(a.geometry().getEnvelopeInternal());
            }
            reaches = new ArrayList<>();
            for (CoverageInputs.Reach r : inputs.reaches(CoverageFilter.allYouth(), extent)) {
                reaches.add(new ServiceReach(r.programId().toString(), r.serviceArea(), r.minAge(), r.maxAge(), 0, 0));
            }
            long t2 = System.nanoTime();
            ArealCoverage.Result result = ArealCoverage.compute(units, reaches, 6, 18);
            long t3 = System.nanoTime();
            hubMs[i] = (t3 - t0) / 1_000_000;
            mostInUse = Math.max(mostInUse, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
            phases[i] = new long[] {hubMs[i], (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000};
            hubCovered = result.covered();
        }
        long[] cold = phases[0];
        long[][] warm = Arrays.copyOfRange(phases, 1 + WARM_UP, phases.length);
        Arrays.sort(warm, java.util.Comparator.comparingLong(p -> p[0]));
        long[] median = warm[warm.length / 2];
        System.out.printf("areas %d, programs reaching them %d%n", units.size(), reaches.size());
        System.out.printf("hub cold (inputs of this data version read from PostGIS): %d ms = areas read %d ms, "
                + "service areas built and read %d ms, overlay %d ms%n", cold[0], cold[1], cold[2], cold[3]);
        System.out.printf("hub warm (inputs in memory; programs selected in PostGIS): median %d ms of %d = areas "
                + "%d ms, programs %d ms, overlay %d ms%n", median[0], warm.length, median[1], median[2], median[3]);
        System.out.printf("     (the %d warm-up runs before them, not counted: %s ms)%n", WARM_UP,
                Arrays.toString(Arrays.copyOfRange(hubMs, 1, 1 + WARM_UP)));
        System.out.printf("hub:  covered %.1f youth%n", hubCovered);

        long[] sqlRuns = new long[3];
        double sqlCovered = 0;
        for (int i = 0; i < sqlRuns.length; i++) {
            long t0 = System.nanoTime();
            sqlCovered = PostgisBestSql.covered(jdbc, dataset, inputs.circleQuadrantSegments());
            sqlRuns[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(sqlRuns);
        long sqlMs = sqlRuns[1];
        System.out.printf("SQL:  covered %.1f youth, median %d ms of 3 (union, ST_Subdivide, areal intersection)%n",
                sqlCovered, sqlMs);
        double difference = Math.abs(hubCovered - sqlCovered) / Math.max(1, sqlCovered);
        System.out.printf("speed-up warm %.1fx, cold %.1fx; results differ by %.4f%% (target: >= 5x, equal within "
                + "0.1%%)%n", (double) sqlMs / Math.max(1, median[0]), (double) sqlMs / Math.max(1, cold[0]),
                difference * 100);

        // What-if: one program moved (or added) at a time, re-evaluated incrementally.
        IncrementalCoverage whatIf = IncrementalCoverage.of(units, reaches, 6, 18);
        Random random = new Random(11);
        // The first WARM_UP changes are not counted either (the first one compiles the incremental path).
        long[] all = new long[WARM_UP + 40];
        for (int i = 0; i < all.length; i++) {
            ServiceReach base = reaches.get(random.nextInt(reaches.size()));
            Coordinate c = base.area().getCentroid().getCoordinate();
            double dx = (random.nextDouble() - 0.5) * 10_000;
            double dy = (random.nextDouble() - 0.5) * 10_000;
            Geometry moved = base.area().copy();
            moved.apply(new org.locationtech.jts.geom.util.AffineTransformation().translate(dx, dy));
            moved.geometryChanged();
            String id = i % 2 == 0 ? base.id() : "what-if-" + i;
            long w0 = System.nanoTime();
            whatIf.put(new ServiceReach(id, moved, 6, 18, 0, 0));
            all[i] = (System.nanoTime() - w0) / 1_000;
        }
        long[] ms = Arrays.copyOfRange(all, WARM_UP, all.length);
        Arrays.sort(ms);
        System.out.printf("what-if (program moved or added), incremental: median %.1f ms, p90 %.1f ms, max %.1f ms"
                + " over %d changes (target <= 20 ms)%n", ms[ms.length / 2] / 1000.0, ms[ms.length * 9 / 10] / 1000.0,
                ms[ms.length - 1] / 1000.0, ms.length);
        System.out.printf("     (after %d changes not counted; the first of them, the series' very first, took "
                + "%.1f ms)%n", WARM_UP, all[0] / 1000.0);
        return difference <= 0.001;
    }

    /** The best plain PostGIS formulation of the same figure, for comparison; programs here serve 6 to 18. */
    static final class PostgisBestSql {

        private PostgisBestSql() {
        }

        static double covered(JdbcClient jdbc, String dataset, int quadSegs) {
            jdbc.sql("SET statement_timeout = 0").update();
            jdbc.sql("DROP TABLE IF EXISTS bench_cover").update();
            jdbc.sql("""
                    CREATE TEMP TABLE bench_cover AS
                    SELECT ST_Subdivide(ST_Union(ST_Transform(ST_Buffer(s.location::geography,
                                                                       p.service_radius_km * 1000, %d)::geometry,
                                                              3347)), 256) AS g
                    FROM program p JOIN site s ON s.program_id = p.id
                    WHERE p.status = 'ACTIVE' AND p.service_area_kind = 'RADIUS'""".formatted(quadSegs)).update();
            jdbc.sql("CREATE INDEX ON bench_cover USING gist (g)").update();
            jdbc.sql("ANALYZE bench_cover").update();
            return jdbc.sql("""
                    WITH a AS (SELECT code, ST_Transform(boundary, 3347) AS g,
                                      (SELECT sum(x) FROM unnest(youth_by_age) AS x) AS youth
                               FROM census_area WHERE dataset_id = :dataset)
                    SELECT coalesce(sum(a.youth * CASE WHEN ST_Within(a.g, c.g) THEN 1
                                                       ELSE ST_Area(ST_Intersection(a.g, c.g)) / ST_Area(a.g) END), 0)
                    FROM a JOIN bench_cover c ON ST_Intersects(a.g, c.g)""")
                    .param("dataset", dataset).query(Double.class).single();
        }
    }
}
