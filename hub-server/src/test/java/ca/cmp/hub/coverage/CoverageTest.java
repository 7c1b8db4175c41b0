package ca.cmp.hub.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.TestProgram;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage on the real census data, checked against an independent PostGIS computation. No public list of
 * mentoring programs exists: the programs here stand at real places (Toronto schools; forward sortation area
 * centroids across Canada) with seeded, synthetic attributes.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoverageTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    CensusDatasets datasets;

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CoverageAnalysis analysis;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    Partnership toronto;

    Partnership national;

    @BeforeAll
    void data() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (!layer.datasetId().equals("provinces")) {
                loader.load(layer);
            }
        }
        Random random = new Random(7);
        toronto = fixtures.partnership("Toronto schools (synthetic programs)");
        JsonNode schools = JsonMapper.builder().build().readTree(OpenData.dir()
                .resolve("places/toronto_schools.geojson").toFile());
        int i = 0;
        for (JsonNode school : schools.get("features")) {
            if (i++ % 30 != 0) {
                continue;
            }
            JsonNode c = school.get("geometry").get("coordinates");
            int min = 6 + random.nextInt(7);
            TestProgram p = fixtures.program(toronto, "School program " + i, c.get(1).asDouble(), c.get(0).asDouble(),
                    min, Math.min(18, min + 4 + random.nextInt(8)), MentoringModel.GROUP, ProgramSetting.SCHOOL,
                    DeliveryMode.IN_PERSON, List.of("en")).radius(0.5 + random.nextDouble() * 1.5);
            fixtures.save(p);
        }
        national = fixtures.partnership("National (synthetic programs at FSA centroids)");
        try (BufferedReader fsa = Files.newBufferedReader(OpenData.dir().resolve("postal/fsa_centroids.csv"))) {
            fsa.readLine();
            String line;
            int n = 0;
            while ((line = fsa.readLine()) != null) {
                String[] f = line.split(",");
                if (n++ % 9 != 0 || f.length < 3 || f[1].isBlank() || f[2].isBlank()) {
                    continue;
                }
                double lat = Double.parseDouble(f[1]);
                double lon = Double.parseDouble(f[2]);
                if (!ca.cmp.hub.geo.CanadaExtent.contains(lat, lon)) {
                    continue;
                }
                fixtures.save(fixtures.program(national, "FSA program " + f[0], lat, lon, 6 + random.nextInt(4),
                        14 + random.nextInt(5), MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY,
                        DeliveryMode.IN_PERSON, List.of("en", "fr")).radius(5 + random.nextInt(16)));
            }
        }
    }

    @AfterEach
    void anonymous() {
        Callers.anonymous();
    }

    void agreesWithPostgis(String dataset, int minAge, int maxAge) {
        // This class's programs only, in both computations: the shared database holds other classes' too.
        List<UUID> mine = List.of(toronto.getId(), national.getId());
        CoverageAnalysis.Figures hub = analysis.coverage(new CoverageAnalysis.Request(datasets.find(dataset).orElseThrow(),
                AnalysisRegion.all(), new CoverageFilter(minAge, maxAge, List.of(), List.of(), List.of(),
                        List.of(), mine)));
        Map<String, PostgisCoverageOracle.Figures> oracle = PostgisCoverageOracle.covered(jdbc, tx, dataset, minAge, maxAge,
                analysis.circleQuadrantSegments(), mine);
        double oracleCovered = oracle.values().stream().mapToDouble(PostgisCoverageOracle.Figures::covered).sum();
        double oracleYouth = oracle.values().stream().mapToDouble(PostgisCoverageOracle.Figures::youth).sum();
        assertThat(hub.youth()).isCloseTo(oracleYouth, within(1e-6 * oracleYouth));
        assertThat(oracleCovered).isPositive();
        // The bar: within 0.1% of the independent computation.
        assertThat(hub.covered()).isCloseTo(oracleCovered, within(0.001 * oracleCovered));
        for (CoverageAnalysis.AreaRow row : hub.areas()) {
            PostgisCoverageOracle.Figures expected = oracle.get(row.code());
            assertThat(row.covered()).as(row.code())
                    .isCloseTo(expected.covered(), within(Math.max(0.5, 0.005 * expected.youth())));
        }
    }

    @Test
    void torontoAgreesWithPostgisWithinATenthOfAPercent() {
        agreesWithPostgis("toronto-neighbourhoods", 6, 18);
        agreesWithPostgis("toronto-neighbourhoods", 12, 14);
    }

    @Test
    void censusDivisionsAgreeWithPostgisWithinATenthOfAPercent() {
        agreesWithPostgis("census-divisions", 6, 18);
    }

    @Test
    void plannersGetCoverageWithMethodVintageAndTopGaps() {
        Callers.as("planner", Role.PLANNER, null);
        // Only the Toronto partnership's programs: the national ones (5-20 km radii) blanket the city.
        GraphQlTester.Response r = graphQl.documentName("coverage").variable("dataset", "toronto-neighbourhoods")
                .variable("filter", Map.of("partnership", List.of(toronto.getId().toString())))
                .variable("areas", 5).variable("gaps", 3).execute();
        r.path("coverage.dataset.vintage").entity(String.class).satisfies(v -> assertThat(v).contains("2016"));
        r.path("coverage.method.name").entity(String.class).isEqualTo("Areal-weighting coverage");
        r.path("coverage.method.youthMethod").entity(String.class).satisfies(m -> assertThat(m).contains("bands"));
        r.path("coverage.method.credits[0]").entity(String.class).satisfies(c -> assertThat(c).contains("Toronto"));
        double youth = r.path("coverage.totals.youth").entity(Double.class).get();
        double ratio = r.path("coverage.totals.ratio").entity(Double.class).get();
        assertThat(youth).isGreaterThan(300_000);
        assertThat(ratio).isBetween(0.05, 0.99);
        r.path("coverage.areas").entityList(Object.class).hasSize(5);
        // Gaps are connected uncovered land: with these few small reaches most of the city is one gap, with holes.
        List<Object> gaps = r.path("coverage.gaps").entityList(Object.class).get();
        assertThat(gaps).hasSizeBetween(1, 3);
        r.path("coverage.gaps[0].rank").entity(Integer.class).isEqualTo(1);
        r.path("coverage.gaps[0].geometry.type").entity(String.class).satisfies(t ->
                assertThat(t).isIn("Polygon", "MultiPolygon"));
        List<Double> unmet = r.path("coverage.gaps[*].unmetYouth").entityList(Double.class).get();
        assertThat(unmet).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        double uncoveredTotal = r.path("coverage.totals.uncovered").entity(Double.class).get();
        assertThat(unmet.stream().mapToDouble(Double::doubleValue).sum()).isPositive()
                .isLessThanOrEqualTo(uncoveredTotal * 1.001);
        // Areas come largest uncovered first.
        List<Double> uncovered = r.path("coverage.areas[*].figures.uncovered").entityList(Double.class).get();
        assertThat(uncovered).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void thePublicSeesRoundedFigures() {
        GraphQlTester.Response r = graphQl.documentName("coverage").variable("dataset", "toronto-neighbourhoods")
                .variable("areas", 140).variable("gaps", 1).execute();
        for (Double covered : r.path("coverage.areas[*].figures.covered").entityList(Double.class).get()) {
            if (covered != null) {
                assertThat(covered % 5).isZero();
            }
        }
        assertThat(r.path("coverage.totals.youth").entity(Double.class).get() % 5).isZero();
    }

    @Test
    void accessIndexIsReported() {
        graphQl.document("""
                { access(dataset: "toronto-neighbourhoods") { placesPer1000 method { name } areas(first: 3) { code placesPer1000 } } }""")
                .execute().path("access.method.name").entity(String.class).isEqualTo("Two-step floating catchment (2SFCA)")
                .path("access.placesPer1000").entity(Double.class).satisfies(v -> assertThat(v).isPositive())
                .path("access.areas").entityList(Object.class).hasSize(3);
    }

    @Test
    void badAnalysisArgumentsAreNamed() {
        graphQl.document("{ coverage(dataset: \"toronto-neighbourhoods\", filter: {ages: {min: 3}}) { totals { youth } } }")
                .execute().errors().satisfy(e -> assertThat(e.get(0).getMessage())
                        .isEqualTo("filter.ages.min: must be a youth age from 6 to 18, got 3"));
        graphQl.document("{ coverage(dataset: \"toronto-neighbourhoods\", region: {province: \"Ontario\"}) { totals { youth } } }")
                .execute().errors().satisfy(e -> assertThat(e.get(0).getMessage())
                        .isEqualTo("region.province: \"Ontario\" is not a province or territory abbreviation like ON"));
    }
}
