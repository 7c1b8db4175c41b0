package ca.cmp.hub.coverage.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.coverage.AnalysisArea;
import ca.cmp.hub.coverage.AnalysisRegion;
import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.GapAreas;
import ca.cmp.hub.geo.areal.ServiceReach;
import ca.cmp.hub.geo.areal.TwoStepFloatingCatchment;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBReader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario and write benchmark (run by bench/scenario.sh against a running hub; not a unit test).
 *
 * <p>Part 1: one-program scenarios (a program moved a few km, or one added) compared with today through the hub's
 * GraphQL endpoint, warm (after unmeasured ones); a sample of them is checked against a full recomputation done
 * here, from inputs read afresh from PostGIS: both sides' areal coverage, 2SFCA access and dissolved gaps, and
 * the areas' rows. Part 2: writes of 1% of the programs (their sites moved, as a sync writes them), then the
 * national coverage query through GraphQL, against the same query warm and against a full computation on
 * in-memory inputs here; the figures after each write are checked against a full computation too.
 *
 * <p>usage: ScenarioBench JDBC_URL HUB_URL DATASET RESULTS_FILE
 */
public final class ScenarioBench {

    static final int WARM_UP = 10;
    static final int MEASURED = 40;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String hub;
    private String token;

    private ScenarioBench(String hub) {
        this.hub = hub;
    }

    public static void main(String[] args) throws Exception {
        SingleConnectionDataSource ds = new SingleConnectionDataSource(args[0], "hub", "", true);
        JdbcClient jdbc = JdbcClient.create(ds);
        jdbc.sql("SET statement_timeout = 0").update();
        DataVersion version = new DataVersion(new JdbcTemplate(ds), event -> { });
        ScenarioBench bench = new ScenarioBench(args[1]);
        String dataset = args[2];
        bench.token = bench.token();
        StringBuilder out = new StringBuilder();
        boolean ok = bench.scenarios(jdbc, version, dataset, out);
        ok &= bench.writes(jdbc, version, dataset, out);
        Files.writeString(Path.of(args[3]), out.toString());
        System.out.print(out);
        System.exit(ok ? 0 : 1);
    }

    record Site(UUID program, double lat, double lon, double radiusKm) {
    }

    private boolean scenarios(JdbcClient jdbc, DataVersion version, String dataset, StringBuilder out)
            throws Exception {
        List<Site> sites = jdbc.sql("""
                SELECT p.id, ST_Y(s.location) AS lat, ST_X(s.location) AS lon, p.service_radius_km
                FROM program p JOIN site s ON s.program_id = p.id
                WHERE p.status = 'ACTIVE' AND p.service_area_kind = 'RADIUS' ORDER BY p.id""")
                .query((rs, n) -> new Site(rs.getObject(1, UUID.class), rs.getDouble(2), rs.getDouble(3),
                        rs.getDouble(4))).list();
        Random random = new Random(2026);
        long[] micros = new long[WARM_UP + MEASURED];
        List<Double> worst = new ArrayList<>();
        int checked = 0;
        String firstMs = null;
        for (int i = 0; i < micros.length; i++) {
            Site s = sites.get(random.nextInt(sites.size()));
            double lat = s.lat() + (random.nextDouble() - 0.5) * 0.06;
            double lon = s.lon() + (random.nextDouble() - 0.5) * 0.08;
            Map<String, Object> change = new LinkedHashMap<>();
            boolean move = i % 2 == 0;
            change.put("kind", move ? "MOVE" : "ADD");
            if (move) {
                change.put("program", s.program().toString());
            } else {
                change.put("radiusKm", 10);
                change.put("places", 40);
            }
            change.put("latitude", lat);
            change.put("longitude", lon);
            JsonNode saved = graphQl("""
                    mutation($s: ScenarioInput!) { createScenario(scenario: $s) {
                      __typename ... on ScenarioSaved { scenario { id } } ... on InvalidScenario { field message } } }""",
                    Map.of("s", Map.of("name", "bench " + i, "changes", List.of(change))));
            String id = saved.at("/data/createScenario/scenario/id").asString();
            long t0 = System.nanoTime();
            JsonNode compared = graphQl("""
                    query($id: ID!, $dataset: ID!) { compareScenario(id: $id, dataset: $dataset) {
                      __typename ... on ScenarioComparison {
                        today { youth covered placesPer1000 gapCount largestGapYouth }
                        withScenario { youth covered placesPer1000 gapCount largestGapYouth }
                        areas(first: 200) { code coveredToday coveredWithScenario placesPer1000Today
                                            placesPer1000WithScenario } }
                      ... on InvalidScenario { field message } } }""", Map.of("id", id, "dataset", dataset));
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (i == 0) {
                firstMs = String.format(Locale.ROOT, "%.1f", micros[0] / 1000.0);
            }
            JsonNode c = compared.at("/data/compareScenario");
            if (!"ScenarioComparison".equals(c.get("__typename").asString())) {
                throw new IllegalStateException("compareScenario answered " + compared);
            }
            if (i >= WARM_UP && (i - WARM_UP) % 13 == 0) {
                worst.add(checkAgainstFull(jdbc, version, dataset, move ? s.program().toString() : null, lat, lon,
                        move ? s.radiusKm() : 10, c));
                checked++;
            }
        }
        long[] ms = Arrays.copyOfRange(micros, WARM_UP, micros.length);
        Arrays.sort(ms);
        double p50 = ms[ms.length / 2] / 1000.0;
        double p90 = ms[(int) Math.ceil(ms.length * 0.9) - 1] / 1000.0;
        double max = worst.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        boolean equal = max <= 1e-9;
        out.append(String.format(Locale.ROOT, "== compareScenario through GraphQL, %s, one program moved or added%n",
                dataset));
        out.append(String.format(Locale.ROOT, "first (builds the kept analysis): %s ms; then %d unmeasured%n",
                firstMs, WARM_UP - 1));
        out.append(String.format(Locale.ROOT, "warm over %d scenarios: p50 %.1f ms, p90 %.1f ms, max %.1f ms "
                + "(target p90 <= 50 ms): %s%n", MEASURED, p50, p90, ms[ms.length - 1] / 1000.0,
                p90 <= 50 ? "PASS" : "FAIL"));
        out.append(String.format(Locale.ROOT, "equality with a full recomputation (%d scenarios checked: both "
                + "sides' youth, covered, places per 1,000, gap count, largest gap, and every returned area): "
                + "largest relative difference %.2e (target <= 1e-9): %s%n", checked, max, equal ? "EQUAL"
                        : "DIFFERENT"));
        return equal;
    }

    record Full(List<CensusUnit> units, List<ServiceReach> reaches) {
    }

    /** Inputs read afresh from PostGIS: nothing kept. */
    private static Full fresh(JdbcClient jdbc, DataVersion version, String dataset) {
        CoverageInputs none = new CoverageInputs(jdbc, version, false);
        List<AnalysisArea> areas = none.areas(dataset, AnalysisRegion.all());
        List<CensusUnit> units = new ArrayList<>();
        Envelope extent = new Envelope();
        for (AnalysisArea a : areas) {
            units.add(new CensusUnit(a.code(), a.geometry(), a.youthByAge()));
            extent.expandToInclude(a.geometry().getEnvelopeInternal());
        }
        List<ServiceReach> reaches = new ArrayList<>();
        for (CoverageInputs.Reach r : none.reaches(CoverageFilter.allYouth(), extent)) {
            reaches.add(new ServiceReach(r.programId().toString(), r.serviceArea(), r.minAge(), r.maxAge(),
                    r.maxMatches() == null ? 0 : r.maxMatches(), r.waitlist() == null ? 0 : r.waitlist()));
        }
        return new Full(units, reaches);
    }

    record Side(ArealCoverage.Result coverage, TwoStepFloatingCatchment.Result access, List<GapAreas.Gap> gaps) {
    }

    private static Side side(List<CensusUnit> units, List<ServiceReach> reaches) {
        return new Side(ArealCoverage.compute(units, reaches, 6, 18),
                TwoStepFloatingCatchment.compute(units, reaches, 6, 18),
                GapAreas.find(units, reaches, 6, 18, 100));
    }

    /** The largest relative difference between the hub's answer and a full recomputation of both sides. */
    private static double checkAgainstFull(JdbcClient jdbc, DataVersion version, String dataset, String moved,
            double lat, double lon, double radiusKm, JsonNode answer) throws Exception {
        Full full = fresh(jdbc, version, dataset);
        byte[] wkb = jdbc.sql("""
                SELECT ST_AsBinary(ST_Transform(ST_Buffer(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, ?)
                                                ::geometry, 3347))""")
                .params(lon, lat, radiusKm * 1000, new CoverageInputs(jdbc, version, false).circleQuadrantSegments())
                .query(byte[].class).single();
        Geometry disc = new WKBReader(CoverageInputs.LAMBERT).read(wkb);
        List<ServiceReach> then = new ArrayList<>();
        for (ServiceReach r : full.reaches()) {
            if (r.id().equals(moved)) {
                then.add(new ServiceReach(r.id(), disc, r.minAge(), r.maxAge(), r.places(), r.waitlist()));
            } else {
                then.add(r);
            }
        }
        if (moved == null) {
            then.add(new ServiceReach("added", disc, 6, 18, 40, 0));
        }
        Side today = side(full.units(), full.reaches());
        Side scenario = side(full.units(), then);
        double worst = 0;
        worst = Math.max(worst, totals(answer.get("today"), today));
        worst = Math.max(worst, totals(answer.get("withScenario"), scenario));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < full.units().size(); i++) {
            index.put(full.units().get(i).id(), i);
        }
        for (JsonNode row : answer.get("areas")) {
            int k = index.get(row.get("code").asString());
            double youth = Math.max(1, today.coverage().areas().get(k).youth());
            worst = Math.max(worst, Math.abs(row.get("coveredToday").asDouble()
                    - today.coverage().areas().get(k).covered()) / youth);
            worst = Math.max(worst, Math.abs(row.get("coveredWithScenario").asDouble()
                    - scenario.coverage().areas().get(k).covered()) / youth);
            worst = Math.max(worst, relative(row.get("placesPer1000Today").asDouble(),
                    today.access().areas().get(k).placesPer1000()));
            worst = Math.max(worst, relative(row.get("placesPer1000WithScenario").asDouble(),
                    scenario.access().areas().get(k).placesPer1000()));
        }
        return worst;
    }

    private static double totals(JsonNode answer, Side full) {
        double worst = relative(answer.get("youth").asDouble(), full.coverage().youth());
        worst = Math.max(worst, relative(answer.get("covered").asDouble(), full.coverage().covered()));
        worst = Math.max(worst, relative(answer.get("placesPer1000").asDouble(), full.access().placesPer1000()));
        if (answer.get("gapCount").asInt() != full.gaps().size()) {
            return 1;
        }
        double largest = full.gaps().isEmpty() ? 0 : full.gaps().get(0).unmetYouth();
        return Math.max(worst, relative(answer.get("largestGapYouth").asDouble(), largest));
    }

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-12, Math.max(Math.abs(a), Math.abs(b)));
    }

    private boolean writes(JdbcClient jdbc, DataVersion version, String dataset, StringBuilder out)
            throws Exception {
        String query = "query($dataset: ID!) { coverage(dataset: $dataset) { totals { youth covered } } }";
        Map<String, Object> vars = Map.of("dataset", dataset);
        long[] warm = new long[8];
        for (int i = 0; i < warm.length; i++) {
            long t0 = System.nanoTime();
            graphQl(query, vars);
            warm[i] = (System.nanoTime() - t0) / 1000;
        }
        long[] warmMeasured = Arrays.copyOfRange(warm, 3, warm.length);
        Arrays.sort(warmMeasured);
        // The reference the issue named: a full computation on inputs in memory (warm JIT, here).
        Full full = fresh(jdbc, version, dataset);
        long[] fullMs = new long[8];
        for (int i = 0; i < fullMs.length; i++) {
            long t0 = System.nanoTime();
            ArealCoverage.compute(full.units(), full.reaches(), 6, 18);
            fullMs[i] = (System.nanoTime() - t0) / 1000;
        }
        long[] fullMeasured = Arrays.copyOfRange(fullMs, 3, fullMs.length);
        Arrays.sort(fullMeasured);
        int programs = jdbc.sql("SELECT count(*) FROM program WHERE status = 'ACTIVE'").query(Integer.class).single();
        int changed = Math.max(1, programs / 100);
        Random random = new Random(14);
        long[] after = new long[5];
        double worst = 0;
        for (int w = 0; w < after.length; w++) {
            // One statement, one transaction, as a sync writes: sites moved, their programs stamped, the version bumped.
            jdbc.sql("""
                    WITH chosen AS (SELECT id FROM program WHERE status = 'ACTIVE' AND service_area_kind = 'RADIUS'
                                    ORDER BY md5(id::text || :salt) LIMIT :n),
                         moved AS (UPDATE site s SET location = ST_SetSRID(ST_MakePoint(ST_X(s.location) + :dx,
                                                                                        ST_Y(s.location) + :dy), 4326)
                                   FROM chosen WHERE s.program_id = chosen.id RETURNING s.program_id),
                         stamped AS (UPDATE program p SET last_changed_at = now(), version = p.version + 1
                                     WHERE p.id IN (SELECT program_id FROM moved) RETURNING p.id)
                    UPDATE data_version SET version = version + 1, changed_at = now()
                    WHERE (SELECT count(*) FROM stamped) >= 0""")
                    .param("salt", String.valueOf(random.nextInt())).param("n", changed)
                    .param("dx", (random.nextDouble() - 0.5) * 0.05).param("dy", (random.nextDouble() - 0.5) * 0.04)
                    .update();
            long t0 = System.nanoTime();
            JsonNode answer = graphQl(query, vars);
            after[w] = (System.nanoTime() - t0) / 1000;
            Full now = fresh(jdbc, version, dataset);
            ArealCoverage.Result expected = ArealCoverage.compute(now.units(), now.reaches(), 6, 18);
            worst = Math.max(worst, relative(answer.at("/data/coverage/totals/covered").asDouble(),
                    expected.covered()));
            worst = Math.max(worst, relative(answer.at("/data/coverage/totals/youth").asDouble(), expected.youth()));
        }
        long[] sorted = after.clone();
        Arrays.sort(sorted);
        double afterMs = sorted[sorted.length / 2] / 1000.0;
        double warmMs = warmMeasured[warmMeasured.length / 2] / 1000.0;
        double fullWarmMs = fullMeasured[fullMeasured.length / 2] / 1000.0;
        boolean equal = worst <= 1e-9;
        out.append(String.format(Locale.ROOT, "== national coverage through GraphQL after a write of 1%% of the "
                + "programs (%d of %d sites moved, as a sync writes them), %s%n", changed, programs, dataset));
        out.append(String.format(Locale.ROOT, "after each of %d writes: %s ms, median %.1f ms%n", after.length,
                Arrays.toString(Arrays.stream(after).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v / 1000.0))
                        .toArray()), afterMs));
        out.append(String.format(Locale.ROOT, "the same query warm (same data version, cache off): median %.1f ms; "
                + "a full computation on inputs in memory (the former warm analysis, here): median %.1f ms%n",
                warmMs, fullWarmMs));
        out.append(String.format(Locale.ROOT, "after a write / full warm computation: %.2fx (target <= 2x): %s; "
                + "after a write / warm query: %.1fx%n", afterMs / fullWarmMs, afterMs <= 2 * fullWarmMs ? "PASS"
                        : "FAIL", afterMs / warmMs));
        out.append(String.format(Locale.ROOT, "figures after the writes against a full computation from fresh "
                + "inputs: largest relative difference %.2e: %s%n", worst, equal ? "EQUAL" : "DIFFERENT"));
        return equal;
    }

    private String token() throws Exception {
        String basic = Base64.getEncoder().encodeToString("demo-admin:demo-admin-secret"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=hub")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("no token: " + r.body());
        }
        return JSON.readTree(r.body()).get("access_token").asString();
    }

    private JsonNode graphQl(String query, Map<String, Object> variables) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub + "/graphql"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200 || json.has("errors")) {
            throw new IllegalStateException("GraphQL answered " + r.statusCode() + ": " + r.body());
        }
        return json;
    }
}
