package ca.cmp.hub.scenario;

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
import ca.cmp.hub.program.Program;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Planners' what-if scenarios on Toronto's real neighbourhoods: a scenario's comparison equals what coverage()
 * says once the same change is really made, and saving or comparing one never changes the published programs.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioTest {

    static final String TORONTO = "toronto-neighbourhoods";

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    Partnership mine;
    Program downtown;
    Program scarborough;

    @BeforeAll
    void data() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals(TORONTO)) {
                loader.load(layer);
            }
        }
        mine = fixtures.partnership("Scenarios (synthetic programs at real places)");
        downtown = fixtures.save(fixtures.program(mine, "Downtown", 43.6532, -79.3832, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")).radius(2));
        scarborough = fixtures.save(fixtures.program(mine, "Scarborough", 43.7764, -79.2318, 8, 16,
                MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")).radius(3));
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    private Map<String, Object> filter() {
        return Map.of("partnership", List.of(mine.getId().toString()));
    }

    private String create(List<Map<String, Object>> changes) {
        GraphQlTester.Response r = graphQl.documentName("createScenario")
                .variable("scenario", Map.of("name", "What if", "changes", changes)).execute();
        r.path("createScenario.__typename").entity(String.class).isEqualTo("ScenarioSaved");
        return r.path("createScenario.scenario.id").entity(String.class).get();
    }

    private GraphQlTester.Response compare(String id) {
        return graphQl.documentName("compareScenario").variable("id", id).variable("dataset", TORONTO)
                .variable("filter", filter()).execute();
    }

    private double covered() {
        return graphQl.documentName("coverage").variable("dataset", TORONTO).variable("filter", filter())
                .variable("areas", 1).variable("gaps", 1).execute().path("coverage.totals.covered")
                .entity(Double.class).get();
    }

    @Test
    void aScenarioComparesWithTodayAndMatchesTheChangeOnceMade() {
        Callers.as("planner", Role.PLANNER, null);
        double today = covered();
        String programs = jdbc.queryForObject("SELECT string_agg(id || ':' || version || ':' || status, ',' "
                + "ORDER BY id) FROM program WHERE partnership_id = ?", String.class, mine.getId());
        String id = create(List.of(
                Map.of("kind", "ADD", "latitude", 43.7315, "longitude", -79.2625, "radiusKm", 2.5, "places", 40),
                Map.of("kind", "CLOSE", "program", scarborough.getId().toString()),
                Map.of("kind", "CAPACITY", "program", downtown.getId().toString(), "places", 60)));

        GraphQlTester.Response r = compare(id);
        r.path("compareScenario.__typename").entity(String.class).isEqualTo("ScenarioComparison");
        assertThat(r.path("compareScenario.today.covered").entity(Double.class).get()).isCloseTo(today,
                within(1e-6 * today));
        double promised = r.path("compareScenario.withScenario.covered").entity(Double.class).get();
        assertThat(r.path("compareScenario.withScenario.placesPer1000").entity(Double.class).get())
                .isNotEqualTo(r.path("compareScenario.today.placesPer1000").entity(Double.class).get());
        List<Map> areas = r.path("compareScenario.areas").entityList(Map.class).get();
        assertThat(areas).isNotEmpty();
        double sum = areas.stream().mapToDouble(a -> ((Number) a.get("coveredWithScenario")).doubleValue()
                - ((Number) a.get("coveredToday")).doubleValue()).sum();
        assertThat(sum).isCloseTo(promised - today, within(1e-6 * today));

        // Nothing published changed.
        assertThat(jdbc.queryForObject("SELECT string_agg(id || ':' || version || ':' || status, ',' ORDER BY id) "
                + "FROM program WHERE partnership_id = ?", String.class, mine.getId())).isEqualTo(programs);

        // Make the same changes for real: coverage() must say what the scenario said.
        fixtures.save(fixtures.program(mine, "Added", 43.7315, -79.2625, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")).radius(2.5));
        jdbc.update("UPDATE program SET status = 'CLOSED' WHERE id = ?", scarborough.getId());
        jdbc.update("UPDATE data_version SET version = version + 1");
        assertThat(covered()).isCloseTo(promised, within(1e-6 * promised));
    }

    @Test
    void badScenariosAndOtherRolesAreAnsweredAsData() {
        Callers.as("funder", Role.FUNDER, null);
        graphQl.documentName("createScenario").variable("scenario", Map.of("name", "x", "changes",
                List.of(Map.of("kind", "CLOSE", "program", downtown.getId().toString())))).execute()
                .path("createScenario.__typename").entity(String.class).isEqualTo("NotAllowed");
        Callers.as("planner", Role.PLANNER, null);
        graphQl.documentName("createScenario").variable("scenario", Map.of("name", "x", "changes",
                List.of(Map.of("kind", "ADD", "latitude", -79.38, "longitude", 43.65, "radiusKm", 2)))).execute()
                .path("createScenario.field").entity(String.class).isEqualTo("scenario.changes[0].latitude");
        graphQl.documentName("createScenario").variable("scenario", Map.of("name", "x", "changes",
                List.of(Map.of("kind", "MOVE", "program", "00000000-0000-0000-0000-000000000000", "latitude", 43.7,
                        "longitude", -79.4)))).execute()
                .path("createScenario.field").entity(String.class).isEqualTo("scenario.changes[0].program");
        String id = create(List.of(Map.of("kind", "MOVE", "program", downtown.getId().toString(), "latitude", 43.70,
                "longitude", -79.42)));
        compare(id).path("compareScenario.__typename").entity(String.class).isEqualTo("ScenarioComparison");
        graphQl.documentName("deleteScenario").variable("id", id).execute().path("deleteScenario.__typename")
                .entity(String.class).isEqualTo("ScenarioSaved");
        compare(id).path("compareScenario.__typename").entity(String.class).isEqualTo("UnknownScenario");
    }
}
