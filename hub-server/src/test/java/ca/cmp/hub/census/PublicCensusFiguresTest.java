package ca.cmp.hub.census;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/** censusAreas gave the public single-year counts below 10 and an unrounded total population. */
@HubTest
class PublicCensusFiguresTest {

    @Autowired
    CensusLoader loader;

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    /**
     * The dataset goes again: its area lies far from any city, and is removed after the test, because the map's
     * browser tests share this database and draw the finest dataset wherever one meets their view.
     */
    @AfterEach
    void nobody() {
        Callers.anonymous();
        jdbc.update("DELETE FROM census_area WHERE dataset_id = 'privacy-small'");
        jdbc.update("DELETE FROM census_dataset WHERE id = 'privacy-small'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPublicCountAboutPeopleIsProtected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {"id": "S1", "pop": 1234, "y5": 30, "y10": 25, "y15": 20},
                  "geometry": {"type": "Polygon", "coordinates": [[[-86.4, 51.6], [-86.3, 51.6], [-86.3, 51.7], [-86.4, 51.6]]]}}]}""");
        loader.load(new CensusImport("privacy-small", CensusImport.Level.DISSEMINATION_AREA, "t", "v", "s", "l", file,
                "id", "id", "ON", new CensusImport.InProperties(Map.of("total", "pop", "age5to9", "y5",
                        "age10to14", "y10", "age15to19", "y15"))));
        String query = "{ censusAreas(dataset: \"privacy-small\") { code totalPopulation youth { total byAge suppressed } } }";

        Map<String, Object> area = graphQl.document(query).execute().path("censusAreas[0]").entity(Map.class).get();
        assertThat(((Number) area.get("totalPopulation")).intValue() % 5).as("rounded to 5").isZero();
        Map<String, Object> youth = (Map<String, Object>) area.get("youth");
        assertThat(((Number) youth.get("total")).doubleValue() % 5).isZero();
        assertThat(youth.get("byAge")).as("single years of 4 to 6 youth each are below 10").isNull();

        Callers.as("planner", Role.PLANNER, null);
        Map<String, Object> exact = graphQl.document(query).execute().path("censusAreas[0]").entity(Map.class).get();
        assertThat(((Number) exact.get("totalPopulation")).intValue()).isEqualTo(1234);
        assertThat((List<Object>) ((Map<String, Object>) exact.get("youth")).get("byAge")).hasSize(13);

        // The same rule through federation's _entities (by dataset and code): rounded and withheld for the public.
        String entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on CensusArea { dataset code"
                + " totalPopulation youth { total byAge suppressed } } } }";
        List<Map<String, Object>> area1 = List.of(Map.of("__typename", "CensusArea", "dataset", "privacy-small",
                "code", "S1"));
        Map<String, Object> planned = graphQl.document(entities).variable("r", area1).execute()
                .path("_entities[0]").entity(Map.class).get();
        assertThat(((Number) planned.get("totalPopulation")).intValue()).isEqualTo(1234);
        Callers.anonymous();
        Map<String, Object> fetched = graphQl.document(entities).variable("r", area1).execute()
                .path("_entities[0]").entity(Map.class).get();
        assertThat(fetched.get("dataset")).isEqualTo("privacy-small");
        assertThat(((Number) fetched.get("totalPopulation")).intValue() % 5).as("rounded to 5").isZero();
        assertThat(((Map<String, Object>) fetched.get("youth")).get("byAge")).isNull();
    }
}
