package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

/**
 * Program queries against real PostGIS. Positions are chosen so the answers can be worked out by hand: at
 * Toronto City Hall's latitude (43.6534°) one degree of longitude is 80.5 km and one of latitude 111.1 km.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgramQueriesTest {

    static final double CITY_HALL_LAT = 43.6534;
    static final double CITY_HALL_LON = -79.3841;

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    Partnership partnership;
    Program alpha;
    Program echo;

    @BeforeAll
    void publish() {
        partnership = fixtures.partnership("Queries test partnership");
        Organization org = fixtures.organization(partnership, "Big Sisters Test");
        alpha = fixtures.save(fixtures.program(partnership, "Alpha", CITY_HALL_LAT, CITY_HALL_LON, 6, 12,
                MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en"))
                .organization(org.getId()));
        // 2.0 km east: 0.02484° of longitude.
        fixtures.save(fixtures.program(partnership, "Bravo", CITY_HALL_LAT, CITY_HALL_LON + 0.02484, 12, 18,
                MentoringModel.GROUP, ProgramSetting.SCHOOL, DeliveryMode.HYBRID, List.of("fr")));
        // 10.0 km north (0.08993° of latitude), with a second site 20 km north: the nearest site counts.
        fixtures.save(fixtures.program(partnership, "Charlie", CITY_HALL_LAT + 0.08993, CITY_HALL_LON, 8, 16,
                MentoringModel.PEER, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en", "fr"))
                .addSite(Fixtures.site("Charlie north", CITY_HALL_LAT + 0.17986, CITY_HALL_LON)));
        fixtures.save(fixtures.program(partnership, "Delta", 45.4215, -75.6972, 6, 18,
                MentoringModel.E_MENTORING, ProgramSetting.ONLINE, DeliveryMode.VIRTUAL, List.of("en", "fr")));
        // 0.5 km south of City Hall, but closed.
        echo = fixtures.save(fixtures.program(partnership, "Echo", CITY_HALL_LAT - 0.0045, CITY_HALL_LON, 6, 18,
                MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")),
                ProgramStatus.CLOSED);
    }

    Map<String, Object> filter(Object... pairs) {
        Map<String, Object> filter = new HashMap<>();
        filter.put("partnership", List.of(partnership.getId().toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            filter.put((String) pairs[i], pairs[i + 1]);
        }
        return filter;
    }

    static Map<String, Object> near(double radiusKm) {
        return Map.of("latitude", CITY_HALL_LAT, "longitude", CITY_HALL_LON, "radiusKm", radiusKm);
    }

    List<String> names(Map<String, Object> filter) {
        return graphQl.documentName("programs").variable("filter", filter).variable("first", 100).execute()
                .path("programs.edges[*].node.name").entityList(String.class).get();
    }

    @Test
    void nearIsOrderedByGeodesicDistanceToTheNearestSite() {
        GraphQlTester.Response response = graphQl.documentName("programs")
                .variable("filter", filter("near", near(15))).execute();
        response.path("programs.edges[*].node.name").entityList(String.class)
                .containsExactly("Alpha", "Bravo", "Charlie");
        List<Double> km = response.path("programs.edges[*].distanceKm").entityList(Double.class).get();
        assertThat(km.get(0)).isCloseTo(0.0, within(0.001));
        assertThat(km.get(1)).isCloseTo(2.0, within(0.02));
        assertThat(km.get(2)).isCloseTo(10.0, within(0.05));
        response.path("programs.totalCount").entity(Integer.class).isEqualTo(3);
    }

    @Test
    void radiusLimitsTheSearch() {
        assertThat(names(filter("near", near(5)))).containsExactly("Alpha", "Bravo");
        assertThat(names(filter("near", near(1.9)))).containsExactly("Alpha");
    }

    @Test
    void statusDefaultsToActiveAndCanBeWidened() {
        assertThat(names(filter("near", near(5), "status", List.of("ACTIVE", "CLOSED"))))
                .containsExactly("Alpha", "Echo", "Bravo");
        assertThat(names(filter("status", List.of("CLOSED")))).containsExactly("Echo");
    }

    @Test
    void pagesByCursorWithoutGapsOrRepeats() {
        for (Map<String, Object> filter : List.of(filter(), filter("near", near(500)))) {
            List<String> seen = new ArrayList<>();
            String after = null;
            boolean more = true;
            int pages = 0;
            while (more) {
                GraphQlTester.Response page = graphQl.documentName("programs").variable("filter", filter)
                        .variable("first", 1).variable("after", after).execute();
                seen.addAll(page.path("programs.edges[*].node.name").entityList(String.class).get());
                more = page.path("programs.pageInfo.hasNextPage").entity(Boolean.class).get();
                page.path("programs.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(after != null);
                after = page.path("programs.pageInfo.endCursor").entity(String.class).get();
                pages++;
            }
            assertThat(pages).isEqualTo(4);
            // By name and by distance from City Hall, the order happens to be the same.
            assertThat(seen).containsExactly("Alpha", "Bravo", "Charlie", "Delta");
        }
    }

    @Test
    void agesKeepProgramsServingTheWholeRange() {
        assertThat(names(filter("ages", Map.of("min", 13)))).containsExactly("Bravo", "Charlie", "Delta");
        assertThat(names(filter("ages", Map.of("min", 6, "max", 12)))).containsExactly("Alpha", "Delta");
        assertThat(names(filter("ages", Map.of("min", 17, "max", 18)))).containsExactly("Bravo", "Delta");
    }

    @Test
    void attributeFiltersCombine() {
        assertThat(names(filter("model", List.of("GROUP")))).containsExactly("Bravo");
        assertThat(names(filter("language", List.of("fr")))).containsExactly("Bravo", "Charlie", "Delta");
        assertThat(names(filter("mode", List.of("VIRTUAL", "HYBRID")))).containsExactly("Bravo", "Delta");
        assertThat(names(filter("setting", List.of("COMMUNITY"), "language", List.of("en"))))
                .containsExactly("Alpha", "Charlie");
    }

    @Test
    void withinPolygonAndBoundingBox() {
        // Downtown Toronto: holds Alpha and Bravo, not Charlie 10 km north.
        Map<String, Object> downtown = Map.of("type", "Polygon", "coordinates", List.of(List.of(
                List.of(-79.42, 43.62), List.of(-79.33, 43.62), List.of(-79.33, 43.70), List.of(-79.42, 43.70),
                List.of(-79.42, 43.62))));
        assertThat(names(filter("within", downtown))).containsExactly("Alpha", "Bravo");
        assertThat(names(filter("bbox", Map.of("west", -76.0, "south", 45.0, "east", -75.0, "north", 46.0))))
                .containsExactly("Delta");
    }

    @Test
    void aPageCarriesEveryNestedFieldWithGeoJson() {
        GraphQlTester.Response response = graphQl.documentName("programPage")
                .variable("filter", filter("near", near(1))).variable("first", 5).execute();
        response.path("programs.edges[0].node.name").entity(String.class).isEqualTo("Alpha");
        response.path("programs.edges[0].node.organization.name").entity(String.class).isEqualTo("Big Sisters Test");
        response.path("programs.edges[0].node.partnership.slug").entity(String.class).isEqualTo(partnership.getSlug());
        response.path("programs.edges[0].node.capacity.available").entity(Integer.class).isEqualTo(7);
        response.path("programs.edges[0].node.sites[0].location.type").entity(String.class).isEqualTo("Point");
        response.path("programs.edges[0].node.sites[0].location.coordinates").entityList(Double.class)
                .containsExactly(CITY_HALL_LON, CITY_HALL_LAT);
        response.path("programs.edges[0].node.serviceArea.kind").entity(String.class).isEqualTo("RADIUS");
        response.path("programs.edges[0].node.serviceArea.geometry.type").entity(String.class).isEqualTo("Polygon");
        // A 5 km geodesic circle spans 10 km east-west: 0.1242° of longitude at this latitude.
        List<List<Double>> ring = response.path("programs.edges[0].node.serviceArea.geometry.coordinates[0]")
                .entityList(List.class).get().stream().map(p -> (List<Double>) p).toList();
        double west = ring.stream().mapToDouble(p -> p.get(0)).min().orElseThrow();
        double east = ring.stream().mapToDouble(p -> p.get(0)).max().orElseThrow();
        assertThat(east - west).isCloseTo(0.1242, within(0.001));
        response.path("programs.edges[0].node.provenance.source").entity(String.class).isEqualTo("test");
    }

    @Test
    void programByIdFindsClosedProgramsToo() {
        graphQl.documentName("program").variable("id", echo.getId().toString()).execute()
                .path("program.status").entity(String.class).isEqualTo("CLOSED")
                .path("program.sites[0].latitude").entity(Double.class).isEqualTo(CITY_HALL_LAT - 0.0045);
        graphQl.documentName("program").variable("id", "00000000-0000-0000-0000-000000000000").execute()
                .path("program").valueIsNull();
    }

    @Test
    void partnershipListsItsOrganizationsAndActivePrograms() {
        GraphQlTester.Response response = graphQl.documentName("partnership")
                .variable("id", partnership.getId().toString()).execute();
        response.path("partnership.organizations[*].name").entityList(String.class).containsExactly("Big Sisters Test");
        response.path("partnership.organizations[0].programs[*].name").entityList(String.class)
                .containsExactly("Alpha");
        response.path("partnership.programs[*].name").entityList(String.class)
                .containsExactly("Alpha", "Bravo", "Charlie", "Delta");
        response.path("partnership.programs[0].organization.name").entity(String.class).isEqualTo("Big Sisters Test");
    }
}
