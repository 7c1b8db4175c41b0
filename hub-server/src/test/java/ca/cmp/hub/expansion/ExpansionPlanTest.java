package ca.cmp.hub.expansion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
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

/**
 * A planner's expansion plan for Toronto on the real neighbourhoods, with the real schools as candidates, checked
 * the way a planner would trust it: building programs at the chosen schools and asking coverage() again gives
 * the coverage the plan promised. Existing programs are synthetic, at real schools.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpansionPlanTest {

    static final String TORONTO = "toronto-neighbourhoods";

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    Partnership mine;

    @BeforeAll
    void data() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals(TORONTO)) {
                loader.load(layer);
            }
        }
        mine = fixtures.partnership("Expansion (synthetic programs at real schools)");
        double[][] existing = {{43.6532, -79.3832}, {43.7764, -79.2318}, {43.6629, -79.3957}, {43.7315, -79.2625}};
        for (double[] p : existing) {
            fixtures.save(fixtures.program(mine, "Existing at " + p[0] + "," + p[1], p[0], p[1], 6, 18, MentoringModel.GROUP,
                    ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON, List.of("en")).radius(2));
        }
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    private Map<String, Object> filter() {
        return Map.of("partnership", List.of(mine.getId().toString()));
    }

    private GraphQlTester.Response plan(int sites, double radiusKm, Map<String, Object> candidates, Integer places) {
        return graphQl.documentName("expansionPlan").variable("dataset", TORONTO).variable("sites", sites)
                .variable("radiusKm", radiusKm).variable("candidates", candidates).variable("filter", filter())
                .variable("places", places).execute();
    }

    private double covered() {
        return graphQl.documentName("coverage").variable("dataset", TORONTO).variable("filter", filter())
                .variable("areas", 1).variable("gaps", 1).execute().path("coverage.totals.covered")
                .entity(Double.class).get();
    }

    @Test
    void aPlanFromTheRealSchoolsDeliversTheCoverageItPromises() {
        Callers.as("planner", Role.PLANNER, null);
        double before = covered();
        GraphQlTester.Response response = plan(5, 2, Map.of("openData", "TORONTO_SCHOOLS"), null);
        response.path("expansionPlan.__typename").entity(String.class).isEqualTo("ExpansionPlan");
        assertThat(response.path("expansionPlan.candidatesConsidered").entity(Integer.class).get())
                .isBetween(1200, 1327);
        double today = response.path("expansionPlan.coveredToday").entity(Double.class).get();
        assertThat(today).isCloseTo(before, within(1e-6 * before));
        List<Double> curve = response.path("expansionPlan.curve").entityList(Double.class).get();
        assertThat(curve).hasSize(6).isSorted();
        assertThat(curve.get(0)).isEqualTo(today);
        List<Map> sites = response.path("expansionPlan.sites").entityList(Map.class).get();
        assertThat(sites).hasSize(5).allSatisfy(s -> assertThat((String) s.get("label")).isNotBlank());
        assertThat(sites.stream().map(s -> ((Number) s.get("marginalYouth")).doubleValue()).toList())
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(((Number) sites.get(0).get("marginalYouth")).doubleValue()).isGreaterThan(1000);

        // Build the plan: programs at the chosen schools, same radius and ages; coverage() must agree.
        for (Map s : sites) {
            fixtures.save(fixtures.program(mine, "Planned #" + s.get("rank") + ": " + s.get("label"), ((Number) s.get("latitude"))
                    .doubleValue(), ((Number) s.get("longitude")).doubleValue(), 6, 18, MentoringModel.GROUP,
                    ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON, List.of("en")).radius(2));
        }
        double after = covered();
        double promised = curve.get(5);
        System.out.printf("Toronto plan: covered %.0f -> promised %.0f, measured after building %.0f (%.2f%%)%n",
                today, promised, after, 100 * (promised - after) / after);
        assertThat(promised).isCloseTo(after, within(0.02 * (after - today)));
    }

    @Test
    void aCapacityAwarePlanCountsOnlyThePlacesEachSiteHas() {
        Callers.as("planner", Role.PLANNER, null);
        GraphQlTester.Response response = plan(3, 3, Map.of("gridKm", 2.0), 50);
        response.path("expansionPlan.__typename").entity(String.class).isEqualTo("ExpansionPlan");
        response.path("expansionPlan.sites[*].marginalYouth").entityList(Double.class)
                .satisfies(m -> assertThat(m).containsExactly(50.0, 50.0, 50.0));
        response.path("expansionPlan.method.name").entity(String.class)
                .satisfies(n -> assertThat(n).startsWith("Capacity-aware"));
    }

    @Test
    void badPlansAndOtherRolesAreAnsweredAsData() {
        Callers.as("funder", Role.FUNDER, null);
        plan(3, 2, Map.of("gridKm", 1.0), null).path("expansionPlan.__typename").entity(String.class)
                .isEqualTo("NotAllowed");
        Callers.as("planner", Role.PLANNER, null);
        plan(0, 2, Map.of("gridKm", 1.0), null).path("expansionPlan.argument").entity(String.class)
                .isEqualTo("sites");
        plan(3, 500, Map.of("gridKm", 1.0), null).path("expansionPlan.argument").entity(String.class)
                .isEqualTo("radiusKm");
        plan(3, 2, Map.of("gridKm", 1.0, "openData", "TORONTO_SCHOOLS"), null).path("expansionPlan.argument")
                .entity(String.class).isEqualTo("candidates");
        GraphQlTester.Response swapped = plan(1, 2, Map.of("points", List.of(Map.of("latitude", -79.38,
                "longitude", 43.65))), null);
        swapped.path("expansionPlan.argument").entity(String.class).isEqualTo("candidates.points[0]");
        swapped.path("expansionPlan.message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("look swapped"));
        plan(2, 2, Map.of("points", List.of(Map.of("latitude", 45.42, "longitude", -75.70))), null)
                .path("expansionPlan.argument").entity(String.class).isEqualTo("sites");
    }
}
