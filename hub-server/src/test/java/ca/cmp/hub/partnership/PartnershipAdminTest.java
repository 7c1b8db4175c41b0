package ca.cmp.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.support.TestProgram;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Administrators onboard partnerships through GraphQL: every field checked with its path, the region as GeoJSON
 * or as the union of real census divisions (stored valid, in Canada), duplicates and bad regions refused with
 * nothing written, every step audited; a retired partnership stays, and so do its programs, which analyses and
 * searches then leave out unless asked.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnershipAdminTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    CensusLoader loader;

    @Autowired
    CensusDatasets datasets;

    @BeforeAll
    void census() {
        Network.censusDivisions(loader, datasets);
    }

    @BeforeEach
    void admin() {
        Callers.as("admin-" + UUID.randomUUID(), Role.ADMIN, null);
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    static String slug() {
        return "pa-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> input(String slug, Map<String, Object> region) {
        Map<String, Object> input = new HashMap<>(Map.of("slug", slug, "name", "Test partnership " + slug,
                "nameFr", "Partenariat d'essai " + slug, "provinces", List.of("AB"), "website",
                "https://example.org/" + slug, "contact", "hello@example.org", "description", "Mentoring in tests"));
        if (region != null) {
            input.put("region", region);
        }
        return input;
    }

    GraphQlTester.Response create(Map<String, Object> input) {
        return graphQl.documentName("createPartnership").variable("input", input).execute();
    }

    long partnershipsWithSlug(String slug) {
        return jdbc.queryForObject("SELECT count(*) FROM partnership WHERE slug = ?", Long.class, slug);
    }

    @Test
    void createsAPartnershipWithAGeoJsonRegion() {
        String slug = slug();
        GraphQlTester.Response r = create(input(slug, Map.of("geometry", Network.box(-114.0, 53.3, -113.2, 53.8))));
        r.path("createPartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        r.path("createPartnership.partnership.slug").entity(String.class).isEqualTo(slug);
        r.path("createPartnership.partnership.nameFr").entity(String.class).isEqualTo("Partenariat d'essai " + slug);
        r.path("createPartnership.partnership.provinces").entityList(String.class).containsExactly("AB");
        r.path("createPartnership.partnership.province").entity(String.class).isEqualTo("AB");
        r.path("createPartnership.partnership.status").entity(String.class).isEqualTo("ACTIVE");
        r.path("createPartnership.partnership.contact").entity(String.class).isEqualTo("hello@example.org");
        r.path("createPartnership.partnership.region.type").entity(String.class).isEqualTo("MultiPolygon");
        r.path("createPartnership.partnership.outline.type").entity(String.class).isEqualTo("MultiPolygon");
        // About 0.8° x 0.5° at 53.5° N: 53 km x 55.6 km.
        r.path("createPartnership.partnership.regionAreaKm2").entity(Double.class)
                .satisfies(km2 -> assertThat(km2).isCloseTo(52.9 * 55.6, within(0.02 * 52.9 * 55.6)));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'createPartnership' AND partnership = ?
                  AND outcome = 'SUCCEEDED'""", Long.class, slug)).isEqualTo(1);
    }

    @Test
    void aRegionOfCensusDivisionsIsTheirValidUnion() {
        String slug = slug();
        GraphQlTester.Response r = create(input(slug, Map.of("census", Map.of("dataset", "census-divisions",
                "codes", Network.ALBERTA_DIVISIONS))));
        r.path("createPartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        double divisionsKm2 = jdbc.queryForObject("""
                SELECT sum(area_km2) FROM census_area WHERE dataset_id = 'census-divisions' AND code LIKE '48%'""",
                Double.class);
        r.path("createPartnership.partnership.regionAreaKm2").entity(Double.class)
                .satisfies(km2 -> assertThat(km2).isCloseTo(divisionsKm2, within(0.01 * divisionsKm2)));
        assertThat(jdbc.queryForObject("""
                SELECT ST_IsValid(region) AND GeometryType(region) = 'MULTIPOLYGON'
                       AND ST_Covers(ST_Buffer(region, 0.01), (SELECT ST_Union(boundary) FROM census_area
                                       WHERE dataset_id = 'census-divisions' AND code = '4806'))
                FROM partnership WHERE slug = ?""", Boolean.class, slug)).isTrue();
    }

    @Test
    void aTakenSlugNamesTheFieldAndWritesNothing() {
        String slug = slug();
        create(input(slug, null)).path("createPartnership.__typename").entity(String.class)
                .isEqualTo("PartnershipSaved");
        GraphQlTester.Response again = create(input(slug, null));
        again.path("createPartnership.__typename").entity(String.class).isEqualTo("InvalidPartnership");
        again.path("createPartnership.field").entity(String.class).isEqualTo("input.slug");
        again.path("createPartnership.message").entity(String.class).satisfies(m -> assertThat(m).contains(slug));
        assertThat(partnershipsWithSlug(slug)).isEqualTo(1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'createPartnership' AND partnership = ?
                  AND outcome = 'INVALID'""", Long.class, slug)).isEqualTo(1);
    }

    static Stream<Arguments> badInputs() {
        Map<String, Object> bowtie = Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(-114.0, 53.0),
                List.of(-113.0, 54.0), List.of(-113.0, 53.0), List.of(-114.0, 54.0), List.of(-114.0, 53.0))));
        return Stream.of(
                Arguments.of("self-intersecting", Map.of("region", Map.of("geometry", bowtie)),
                        "input.region.geometry"),
                Arguments.of("outside Canada", Map.of("region", Map.of("geometry", Network.box(2.2, 48.8, 2.4, 48.9))),
                        "input.region.geometry"),
                Arguments.of("a line", Map.of("region", Map.of("geometry", Map.of("type", "LineString",
                        "coordinates", List.of(List.of(-114.0, 53.0), List.of(-113.0, 54.0))))),
                        "input.region.geometry"),
                Arguments.of("latitude out of range", Map.of("region", Map.of("geometry", Map.of("type", "Polygon",
                        "coordinates", List.of(List.of(List.of(-114.0, 53.0), List.of(-113.0, 95.0),
                                List.of(-113.0, 53.0), List.of(-114.0, 53.0)))))),
                        "input.region.geometry.coordinates[0][1]"),
                Arguments.of("an unknown census code", Map.of("region", Map.of("census", Map.of("dataset",
                        "census-divisions", "codes", List.of("4801", "9999")))), "input.region.census.codes[1]"),
                Arguments.of("an unknown dataset", Map.of("region", Map.of("census", Map.of("dataset",
                        "no-such-layer", "codes", List.of("4801")))), "input.region.census.dataset"),
                Arguments.of("both kinds of region", Map.of("region", Map.of("geometry",
                        Network.box(-114.0, 53.3, -113.2, 53.8), "census", Map.of("dataset", "census-divisions",
                                "codes", List.of("4801")))), "input.region"),
                Arguments.of("no region at all", Map.of("region", Map.of()), "input.region"),
                Arguments.of("a bad slug", Map.of("slug", "Not A Slug"), "input.slug"),
                Arguments.of("an unknown province", Map.of("provinces", List.of("AB", "XX")), "input.provinces[1]"),
                Arguments.of("a non-http website", Map.of("website", "ftp://example.org"), "input.website"),
                Arguments.of("an empty name", Map.of("name", "  "), "input.name"));
    }

    @ParameterizedTest(name = "{0} is refused at {2}")
    @MethodSource("badInputs")
    void badInputNamesTheFieldAndWritesNothing(String what, Map<String, Object> override, String field) {
        String slug = slug();
        Map<String, Object> input = input(slug, null);
        input.putAll(override);
        GraphQlTester.Response r = create(input);
        r.path("createPartnership.__typename").entity(String.class).isEqualTo("InvalidPartnership");
        r.path("createPartnership.field").entity(String.class).isEqualTo(field);
        assertThat(partnershipsWithSlug(slug)).isZero();
        assertThat(partnershipsWithSlug(String.valueOf(input.get("slug")))).isZero();
    }

    @Test
    void onlyAdministratorsCreateAndTheRefusalIsAudited() {
        String slug = slug();
        Callers.as("planner-" + slug, Role.PLANNER, null);
        GraphQlTester.Response r = create(input(slug, null));
        r.path("createPartnership.__typename").entity(String.class).isEqualTo("NotAllowed");
        assertThat(partnershipsWithSlug(slug)).isZero();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'createPartnership' AND subject = ?
                  AND outcome = 'REFUSED'""", Long.class, "planner-" + slug)).isEqualTo(1);
    }

    @Test
    void updateChangesWhatIsGivenAndKeepsTheRest() {
        String slug = slug();
        String id = create(input(slug, Map.of("geometry", Network.box(-114.0, 53.3, -113.2, 53.8))))
                .path("createPartnership.partnership.id").entity(String.class).get();
        GraphQlTester.Response r = graphQl.documentName("updatePartnership").variable("id", slug)
                .variable("changes", Map.of("name", "Renamed " + slug, "provinces", List.of("AB", "SK"),
                        "region", Map.of("census", Map.of("dataset", "census-divisions", "codes",
                                List.of("4811", "4806")))))
                .execute();
        r.path("updatePartnership.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        r.path("updatePartnership.partnership.id").entity(String.class).isEqualTo(id);
        r.path("updatePartnership.partnership.slug").entity(String.class).isEqualTo(slug);
        r.path("updatePartnership.partnership.name").entity(String.class).isEqualTo("Renamed " + slug);
        r.path("updatePartnership.partnership.website").entity(String.class).isEqualTo("https://example.org/" + slug);
        r.path("updatePartnership.partnership.provinces").entityList(String.class).containsExactly("AB", "SK");
        assertThat(jdbc.queryForObject("""
                SELECT abs(ST_Area(region::geography) / 1e6 - (SELECT sum(area_km2) FROM census_area
                       WHERE dataset_id = 'census-divisions' AND code IN ('4806', '4811'))) < 100
                FROM partnership WHERE slug = ?""", Boolean.class, slug)).isTrue();

        GraphQlTester.Response both = graphQl.documentName("updatePartnership").variable("id", id)
                .variable("changes", Map.of("removeRegion", true, "region", Map.of("geometry",
                        Network.box(-114.0, 53.3, -113.2, 53.8)))).execute();
        both.path("updatePartnership.field").entity(String.class).isEqualTo("changes.removeRegion");
        GraphQlTester.Response bad = graphQl.documentName("updatePartnership").variable("id", id)
                .variable("changes", Map.of("name", "Not kept", "website", "not a url")).execute();
        bad.path("updatePartnership.field").entity(String.class).isEqualTo("changes.website");
        assertThat(jdbc.queryForObject("SELECT name FROM partnership WHERE slug = ?", String.class, slug))
                .isEqualTo("Renamed " + slug);

        graphQl.documentName("updatePartnership").variable("id", "no-such-partnership")
                .variable("changes", Map.of("name", "x")).execute()
                .path("updatePartnership.__typename").entity(String.class).isEqualTo("UnknownPartnership");
        graphQl.documentName("updatePartnership").variable("id", id).variable("changes", Map.of("removeRegion", true))
                .execute().path("updatePartnership.partnership.outline").valueIsNull();
    }

    /**
     * A retired partnership's program, alone in a box of northern Quebec: found by id and by naming its
     * partnership, left out of searches and coverage otherwise, counted again with includeRetired.
     */
    @Test
    void aRetiredPartnershipStaysAndAnalysesLeaveItOutUnlessAsked() {
        String slug = slug();
        String id = create(input(slug, null)).path("createPartnership.partnership.id").entity(String.class).get();
        Partnership partnership = fixtures.partnershipBySlug(slug);
        TestProgram program = fixtures.save(fixtures.program(partnership, "Retiring program " + slug, 55.0, -72.0, 6, 18,
                MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("fr"))
                .radius(10));
        Map<String, Object> nearby = Map.of("near", Map.of("latitude", 55.0, "longitude", -72.0, "radiusKm", 5.0));
        String programs = "query($f: ProgramFilter) { programs(filter: $f) { edges { node { id } } } }";
        String coverage = """
                query($f: CoverageFilter, $r: RegionInput) { coverage(dataset: "census-divisions", region: $r,
                  filter: $f) { totals { covered } } }""";
        Map<String, Object> region = Map.of("polygon", Network.box(-72.5, 54.7, -71.5, 55.3));
        double coveredBefore = graphQl.document(coverage).variable("r", region).execute()
                .path("coverage.totals.covered").entity(Double.class).get();

        GraphQlTester.Response retired = graphQl.documentName("retirePartnership").variable("id", id)
                .variable("reason", "merged into another partnership").execute();
        retired.path("retirePartnership.partnership.status").entity(String.class).isEqualTo("RETIRED");
        retired.path("retirePartnership.partnership.retiredAt").hasValue();
        graphQl.documentName("retirePartnership").variable("id", id).execute()
                .path("retirePartnership.field").entity(String.class).isEqualTo("id");

        Callers.anonymous();
        graphQl.document("query($id: ID!) { program(id: $id) { name partnership { status } } }")
                .variable("id", program.getId().toString()).execute()
                .path("program.partnership.status").entity(String.class).isEqualTo("RETIRED");
        assertThat(ids(graphQl.document(programs).variable("f", nearby).execute()))
                .doesNotContain(program.getId().toString());
        Map<String, Object> asked = new HashMap<>(nearby);
        asked.put("includeRetired", true);
        assertThat(ids(graphQl.document(programs).variable("f", asked).execute()))
                .contains(program.getId().toString());
        Map<String, Object> named = new HashMap<>(nearby);
        named.put("partnership", List.of(id));
        assertThat(ids(graphQl.document(programs).variable("f", named).execute()))
                .contains(program.getId().toString());

        Callers.as("planner", Role.PLANNER, null);
        double coveredAfter = graphQl.document(coverage).variable("r", region).execute()
                .path("coverage.totals.covered").entity(Double.class).get();
        double coveredAsked = graphQl.document(coverage).variable("r", region)
                .variable("f", Map.of("includeRetired", true)).execute()
                .path("coverage.totals.covered").entity(Double.class).get();
        assertThat(coveredAfter).isLessThan(coveredBefore);
        assertThat(coveredAsked).isCloseTo(coveredBefore, within(1e-6 * coveredBefore));
        graphQl.documentName("partnerships").variable("status", List.of("RETIRED")).execute()
                .path("partnerships[*].slug").entityList(String.class).contains(slug);
        graphQl.documentName("partnerships").variable("status", List.of("ACTIVE")).execute()
                .path("partnerships[*].slug").entityList(String.class).doesNotContain(slug);
    }

    @Test
    void contactIsForTheOwnPartnersAndAdministrators() {
        String slug = slug();
        String id = create(input(slug, null)).path("createPartnership.partnership.id").entity(String.class).get();
        String query = "query($id: ID!) { partnership(id: $id) { contact } }";
        Callers.partnerOf(slug);
        graphQl.document(query).variable("id", id).execute().path("partnership.contact").entity(String.class)
                .isEqualTo("hello@example.org");
        Callers.partnerOf("someone-else");
        graphQl.document(query).variable("id", id).execute().path("partnership.contact").valueIsNull();
        Callers.anonymous();
        graphQl.document(query).variable("id", id).execute().path("partnership.contact").valueIsNull();
    }

    static List<String> ids(GraphQlTester.Response r) {
        return r.path("programs.edges[*].node.id").entityList(String.class).get();
    }
}
