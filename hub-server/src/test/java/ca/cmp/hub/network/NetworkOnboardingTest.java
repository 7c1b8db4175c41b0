package ca.cmp.hub.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The flow, on the real census divisions: an administrator creates the Alberta Mentoring Partnership with
 * Alberta's 19 census divisions as its region; its partner registers a CSV connector and syncs it; coverage over
 * the partnership's region answers; the network view shows Alberta covered by it, youth outside every region
 * elsewhere, and where a second region overlaps it.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkOnboardingTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CensusLoader loader;

    @Autowired
    CensusDatasets datasets;

    String alberta;
    String calgary;
    double albertaYouth;
    double canadaYouth;

    @BeforeAll
    void onboard() throws Exception {
        Network.censusDivisions(loader, datasets);
        albertaYouth = jdbc.queryForObject("""
                SELECT sum(youth_6_18) FROM census_area WHERE dataset_id = 'census-divisions' AND code LIKE '48%'""",
                Double.class);
        canadaYouth = jdbc.queryForObject("SELECT sum(youth_6_18) FROM census_area WHERE dataset_id = 'census-divisions'",
                Double.class);
        alberta = "alberta-mentoring-" + UUID.randomUUID().toString().substring(0, 6);
        Callers.as("cmp-admin", Role.ADMIN, null);
        GraphQlTester.Response created = graphQl.documentName("createPartnership").variable("input", Map.of(
                "slug", alberta, "name", "Alberta Mentoring Partnership", "nameFr", "Partenariat de mentorat de l'Alberta",
                "provinces", List.of("AB"), "website", "https://albertamentors.ca", "contact", "info@albertamentors.ca",
                "region", Map.of("census", Map.of("dataset", "census-divisions", "codes", Network.ALBERTA_DIVISIONS))))
                .execute();
        created.path("createPartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        calgary = "calgary-overlap-" + UUID.randomUUID().toString().substring(0, 6);
        graphQl.documentName("createPartnership").variable("input", Map.of("slug", calgary,
                "name", "Calgary overlap (test)", "region", Map.of("geometry", Network.box(-114.3, 50.85, -113.85, 51.2))))
                .execute().path("createPartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        Callers.anonymous();
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    @Test
    void anAdministratorOnboardsAlbertaAndTheNetworkShowsItsGaps() throws Exception {
        // The partnership's partner registers a CSV connector and syncs it.
        Callers.partnerOf(alberta);
        Path feed = Files.createDirectories(Path.of("target/test-imports", alberta)).resolve("programs.csv");
        Files.writeString(feed, """
                id,name,latitude,longitude,radius_km
                ab-1,Calgary Youth Mentoring,51.045,-114.057,15
                ab-2,Edmonton Big Sisters,53.546,-113.494,15
                ab-3,Red Deer Mentors,52.268,-113.811,10
                """);
        String connector = graphQl.documentName("registerConnector").variable("partnership", alberta)
                .variable("connector", Map.of("name", "Alberta programs", "kind", "CSV", "location", feed.toString(),
                        "mapping", Map.of("fields", Map.of("radiusKm", "radius_km"))))
                .execute().path("registerConnector.connector.id").entity(String.class).get();
        GraphQlTester.Response run = graphQl.documentName("runConnector").variable("id", connector)
                .variable("wait", true).execute();
        run.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        run.path("runConnector.run.counts.inserted").entity(Integer.class).isEqualTo(3);

        // Its card, as the map shows it: name, outline, programs, freshness.
        Callers.anonymous();
        GraphQlTester.Response card = graphQl.document("""
                { partnerships(status: [ACTIVE]) { slug name nameFr activeProgramCount lastSyncAt outline } }""")
                .execute();
        int me = card.path("partnerships[*].slug").entityList(String.class).get().indexOf(alberta);
        card.path("partnerships[" + me + "].name").entity(String.class).isEqualTo("Alberta Mentoring Partnership");
        card.path("partnerships[" + me + "].activeProgramCount").entity(Integer.class).isEqualTo(3);
        card.path("partnerships[" + me + "].lastSyncAt").hasValue();
        card.path("partnerships[" + me + "].outline.type").entity(String.class).isEqualTo("MultiPolygon");

        // coverage(region: {partnership}) answers over Alberta's divisions.
        Callers.as("cmp-planner", Role.PLANNER, null);
        GraphQlTester.Response coverage = graphQl.documentName("coverage").variable("dataset", "census-divisions")
                .variable("region", Map.of("partnership", alberta)).variable("areas", 50).variable("gaps", 3)
                .execute();
        double youth = coverage.path("coverage.totals.youth").entity(Double.class).get();
        assertThat(youth).isCloseTo(albertaYouth, within(0.01 * albertaYouth));
        coverage.path("coverage.totals.covered").entity(Double.class).satisfies(c -> assertThat(c).isPositive());
        coverage.path("coverage.areas[*].code").entityList(String.class).contains("4806", "4811");
        coverage.path("coverage.gaps[0].rank").entity(Integer.class).isEqualTo(1);

        // The network view: Alberta reached by its partnership, youth outside every region elsewhere, the overlap.
        GraphQlTester.Response network = graphQl.documentName("network").variable("dataset", "census-divisions")
                .variable("first", 400).execute();
        network.path("network.partnerships[*].slug").entityList(String.class).contains(alberta, calgary);
        double outside = network.path("network.totals.outside").entity(Double.class).get();
        double total = network.path("network.totals.youth").entity(Double.class).get();
        assertThat(total).isCloseTo(canadaYouth, within(1e-6 * canadaYouth));
        assertThat(outside).isPositive().isLessThanOrEqualTo(canadaYouth - 0.99 * albertaYouth);
        List<String> codes = network.path("network.areas[*].code").entityList(String.class).get();
        List<Double> outsides = network.path("network.areas[*].figures.outside").entityList(Double.class).get();
        assertThat(codes).hasSize(293);
        for (int i = 1; i < outsides.size(); i++) {
            assertThat(outsides.get(i)).isLessThanOrEqualTo(outsides.get(i - 1));
        }
        for (String division : Network.ALBERTA_DIVISIONS) {
            int i = codes.indexOf(division);
            network.path("network.areas[" + i + "].partnerships[*].slug").entityList(String.class).contains(alberta);
            network.path("network.areas[" + i + "].coveredAreaShare").entity(Double.class)
                    .satisfies(s -> assertThat(s).isGreaterThan(0.99));
        }
        // Toronto: no test's region reaches it; all its youth are outside the network.
        int toronto = codes.indexOf("3520");
        network.path("network.areas[" + toronto + "].partnerships").entityList(Object.class).hasSize(0);
        network.path("network.areas[" + toronto + "].coveredAreaShare").entity(Double.class).isEqualTo(0.0);
        double torontoYouth = network.path("network.areas[" + toronto + "].figures.youth").entity(Double.class).get();
        network.path("network.areas[" + toronto + "].figures.outside").entity(Double.class)
                .satisfies(o -> assertThat(o).isCloseTo(torontoYouth, within(1e-6)).isPositive());
        int calgaryDivision = codes.indexOf("4806");
        network.path("network.areas[" + calgaryDivision + "].partnerships[*].slug").entityList(String.class)
                .contains(alberta, calgary);
        network.path("network.areas[" + calgaryDivision + "].overlapAreaShare").entity(Double.class)
                .satisfies(s -> assertThat(s).isBetween(0.05, 0.9));
        GraphQlTester.Response overlaps = graphQl.documentName("network").variable("dataset", "census-divisions")
                .variable("first", 5).variable("order", "OVERLAP").execute();
        List<Map<String, Object>> ranked = overlaps.path("network.areas").entityList(
                new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).get();
        assertThat(ranked).as("ranked by overlap: %s", ranked).extracting(a -> a.get("code")).contains("4806");
        overlaps.path("network.totals.overlap").entity(Double.class).satisfies(o -> assertThat(o).isPositive());
        // The top-ranked gap is outside every region.
        network.path("network.areas[0].coveredAreaShare").entity(Double.class)
                .satisfies(s -> assertThat(s).isLessThan(0.5));
    }

    @Test
    void thePublicSeesTheNetworkUnderSmallAreaProtection() {
        GraphQlTester.Response network = graphQl.documentName("network").variable("dataset", "census-divisions")
                .variable("first", 293).execute();
        List<Map<String, Object>> figures = network.path("network.areas[*].figures").entityList(
                new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).get();
        assertThat(figures).isNotEmpty();
        for (Map<String, Object> f : figures) {
            if (Boolean.TRUE.equals(f.get("suppressed"))) {
                assertThat(f.get("youth")).isNull();
            } else {
                assertThat(((Number) f.get("youth")).doubleValue() % 5).isZero();
                if (f.get("outside") != null) {
                    assertThat(((Number) f.get("outside")).doubleValue() % 5).isZero();
                }
            }
        }
        assertThat(network.path("network.totals.youth").entity(Double.class).get() % 5).isZero();
    }

    @Test
    void retiredRegionsCountOnlyWhenAskedFor() {
        String gone = "retired-region-" + UUID.randomUUID().toString().substring(0, 6);
        Callers.as("cmp-admin", Role.ADMIN, null);
        graphQl.documentName("createPartnership").variable("input", Map.of("slug", gone, "name", "Retired region",
                "region", Map.of("census", Map.of("dataset", "census-divisions", "codes", List.of("6204")))))
                .execute().path("createPartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        graphQl.documentName("retirePartnership").variable("id", gone).execute()
                .path("retirePartnership.partnership.status").entity(String.class).isEqualTo("RETIRED");
        graphQl.documentName("network").variable("dataset", "census-divisions").variable("first", 1).execute()
                .path("network.partnerships[*].slug").entityList(String.class).doesNotContain(gone);
        graphQl.documentName("network").variable("dataset", "census-divisions").variable("includeRetired", true)
                .variable("first", 1).execute()
                .path("network.partnerships[*].slug").entityList(String.class).contains(gone);
    }

    @Test
    void anUnknownDatasetIsABadArgument() {
        graphQl.documentName("network").variable("dataset", "no-such-layer").execute().errors()
                .expect(e -> "dataset".equals(e.getExtensions().get("argument"))).verify();
    }
}
