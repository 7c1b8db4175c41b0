package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A GRAPHQL connector with a mapping reads a GraphQL API that is not a hub: {@link ServiceDirectoryServer}, a real
 * graphql-java server over HTTP with a schema of its own, paged by cursor (2 a page) and behind client
 * credentials. The full pull maps its fields onto programs (read back through the hub's GraphQL), a record that
 * does not map or validate is a rejection naming it and the field while the others land, and an answer with
 * GraphQL errors on page 2 fails the run without writing page 1, leaving no run RUNNING.
 */
@HubTest
// The properties of ConnectorsAcrossInstancesTest and HubToHubPullTest, so all share one context.
@TestPropertySource(properties = {"hub.connectors.allowed-networks=127.0.0.1/32",
        "hub.connectors.poll-interval=300ms"})
class GraphQlSourcePullTest {

    private static final String CLIENT = "hub-reader";
    private static final String SECRET = "dir-" + UUID.randomUUID();
    private static final String QUERY = """
            query Directory($region: String!, $first: Int, $after: String) {
              services(region: $region, first: $first, after: $after) {
                pageInfo { endCursor hasNextPage }
                edges { node {
                  key title summary eligibility { youngest oldest } tongues state
                  place { street town province postcode lat lon }
                  provider { ref label }
                } }
              }
            }""";

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    private static Map<String, Object> mapping() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sourceId", "key");
        fields.put("name", "title");
        fields.put("description", "summary");
        fields.put("minAge", "eligibility.youngest");
        fields.put("maxAge", "eligibility.oldest");
        fields.put("languages", "tongues");
        fields.put("status", "state");
        fields.put("address", "place.street");
        fields.put("city", "place.town");
        fields.put("province", "place.province");
        fields.put("postalCode", "place.postcode");
        fields.put("latitude", "place.lat");
        fields.put("longitude", "place.lon");
        fields.put("organizationId", "provider.ref");
        fields.put("organization", "provider.label");
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("query", QUERY);
        mapping.put("variables", Map.of("region", "ON"));
        mapping.put("pageSize", 2);
        mapping.put("records", "data.services.edges[].node");
        mapping.put("endCursor", "data.services.pageInfo.endCursor");
        mapping.put("hasNextPage", "data.services.pageInfo.hasNextPage");
        mapping.put("fields", fields);
        mapping.put("defaults", Map.of("model", "ONE_TO_ONE", "radiusKm", 8));
        return mapping;
    }

    private static Map<String, Object> service(String key, String title, Integer youngest, Integer oldest,
            List<String> tongues, String state, String street, String postcode, Double lat, Double lon) {
        Map<String, Object> place = new HashMap<>();
        place.put("street", street);
        place.put("town", "Toronto");
        place.put("province", "ON");
        place.put("postcode", postcode);
        place.put("lat", lat);
        place.put("lon", lon);
        Map<String, Object> eligibility = new HashMap<>();
        eligibility.put("youngest", youngest);
        eligibility.put("oldest", oldest);
        Map<String, Object> s = new HashMap<>();
        s.put("key", key);
        s.put("title", title);
        s.put("summary", title + ", weekly");
        s.put("eligibility", eligibility);
        s.put("tongues", tongues);
        s.put("state", state);
        s.put("place", place);
        s.put("provider", Map.of("ref", "org-1", "label", "Youth Mentoring Toronto"));
        return s;
    }

    @Test
    void aGraphQlSourceWithItsOwnSchemaIsPagedMappedCheckedPerRecordAndAnErrorChangesNothing() throws Exception {
        try (ServiceDirectoryServer directory = new ServiceDirectoryServer(CLIENT, SECRET)) {
            directory.services.addAll(List.of(
                    service("svc-1", "Downtown Mentors", 8, 14, List.of("English", "French"), "ACTIVE",
                            "100 Queen St W", "M5H 2N2", 43.6525, -79.3832),
                    // No coordinates: placed at its postal code's FSA centroid; a status in another spelling.
                    service("svc-2", "Peer Circle Scarborough", 12, 18, List.of("en"), "Paused",
                            "1 Sewells Rd", "M1B 1A1", null, null),
                    service("svc-3", "Girls Code Club", 10, 16, List.of("fr"), "ACTIVE", "20 Eglinton Ave W",
                            "M4R 1K8", 43.7064, -79.3986),
                    // A status the hub's vocabulary does not have: a mapping problem, named by record and path.
                    service("svc-4", "Maybe Mentoring", 9, 12, List.of("en"), "MAYBE", "5 King St E", "M5C 1A1",
                            43.6495, -79.3775),
                    service("svc-5", "Team Up Etobicoke", 9, 13, List.of("en"), null, "2 Bloor St W", "M4W 3E2",
                            43.6708, -79.3872),
                    // Coordinates outside Canada: a validation problem, named as for a CSV line.
                    service("svc-6", "Paris Exchange", 14, 18, List.of("fr"), "ACTIVE", "1 Rue de Rivoli", null,
                            48.8566, 2.3522)));

            Partnership mine = fixtures.partnership("Directory partnership");
            Callers.partnerOf(mine.getSlug());
            Map<String, Object> connector = new HashMap<>(Map.of("name", "Youth services directory",
                    "kind", "GRAPHQL", "location", directory.url("/graphql"), "mapping", mapping(),
                    "credentials", Map.of("clientId", CLIENT, "clientSecret", SECRET,
                            "tokenUrl", directory.url("/token"))));

            // Mappings that cannot work are refused at registration, naming the key; nothing is stored.
            Map<String, Object> noCursor = new HashMap<>(mapping());
            noCursor.put("query", QUERY.replace(", $after: String", "").replace(", after: $after", ""));
            Map<String, Object> mutation = new HashMap<>(mapping());
            mutation.put("query", "mutation Wipe($after: String, $first: Int) { wipe(after: $after) }");
            Map<String, Object> rootless = new HashMap<>(mapping());
            rootless.put("records", "services.edges[].node");
            Map<String, Object> colour = new HashMap<>(mapping());
            colour.put("fields", Map.of("sourceId", "key", "name", "title", "colour", "hue"));
            Map<String, Object> queryless = new HashMap<>(mapping());
            queryless.remove("query");
            for (Object[] bad : new Object[][] {{noCursor, "connector.mapping.query", "must declare $after"},
                    {mutation, "connector.mapping.query", "must be a query, not a mutation"},
                    {rootless, "connector.mapping.records", "starts at data"},
                    {colour, "connector.mapping.fields.colour", "not a program field"},
                    {queryless, "connector.mapping.query", "is required for a generic GraphQL source"}}) {
                Map<String, Object> refused = new HashMap<>(connector);
                refused.put("mapping", bad[0]);
                GraphQlTester.Response answer = graphQl.documentName("registerConnector")
                        .variable("partnership", mine.getSlug()).variable("connector", refused).execute();
                answer.path("registerConnector.field").entity(String.class).isEqualTo((String) bad[1]);
                answer.path("registerConnector.message").entity(String.class)
                        .satisfies(m -> assertThat(m).contains((String) bad[2]));
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM connector WHERE partnership_id = ?", Long.class,
                    mine.getId())).isZero();

            String id = graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                    .variable("connector", connector).execute()
                    .path("registerConnector.connector.id").entity(String.class).get();

            GraphQlTester.Response full = run(id);
            full.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
            full.path("runConnector.run.mode").entity(String.class).isEqualTo("FULL");
            assertThat(counts(full)).containsEntry("read", 6).containsEntry("inserted", 4)
                    .containsEntry("rejected", 2);
            full.path("runConnector.run.rejections[*].field").entityList(String.class).containsExactly(
                    "records[3] (id svc-4): state", "records[5] (id svc-6): sites[0].latitude");
            full.path("runConnector.run.rejections[*].sourceId").entityList(String.class)
                    .containsExactly("svc-4", "svc-6");
            full.path("runConnector.run.rejections[0].reason").entity(String.class)
                    .satisfies(r -> assertThat(r).contains("\"MAYBE\" is not one of"));
            full.path("runConnector.run.rejections[1].reason").entity(String.class)
                    .satisfies(r -> assertThat(r).contains("outside Canada"));
            // Three pages of two, each asked with the last page's end cursor, the page size and the fixed
            // variables; one token for the whole read.
            assertThat(directory.requests).hasSize(3);
            assertThat(directory.requests).allSatisfy(v -> assertThat(v).containsEntry("region", "ON")
                    .containsEntry("first", 2));
            assertThat(directory.requests.get(0).get("after")).isNull();
            assertThat(directory.requests.get(1).get("after")).isNotNull();
            assertThat(directory.requests.get(2).get("after")).isNotNull()
                    .isNotEqualTo(directory.requests.get(1).get("after"));
            assertThat(directory.tokensIssued.get()).isEqualTo(1);

            Map<String, Map<String, Object>> programs = published(mine);
            assertThat(programs.keySet()).containsExactlyInAnyOrder("svc-1", "svc-2", "svc-3", "svc-5");
            Map<String, Object> downtown = programs.get("svc-1");
            assertThat(downtown).containsEntry("name", "Downtown Mentors")
                    .containsEntry("description", "Downtown Mentors, weekly")
                    .containsEntry("ages", Map.of("min", 8, "max", 14))
                    .containsEntry("languages", List.of("en", "fr")).containsEntry("model", "ONE_TO_ONE")
                    .containsEntry("status", "ACTIVE")
                    .containsEntry("serviceArea", Map.of("kind", "RADIUS", "radiusKm", 8.0))
                    .containsEntry("provenance", Map.of("source", "connector:" + id, "sourceId", "svc-1"))
                    .containsEntry("organization", Map.of("name", "Youth Mentoring Toronto"));
            assertThat(downtown.get("sites")).isEqualTo(List.of(Map.of("address", "100 Queen St W",
                    "city", "Toronto", "province", "ON", "postalCode", "M5H 2N2", "latitude", 43.6525,
                    "longitude", -79.3832, "precision", "EXACT")));
            Map<String, Object> scarborough = programs.get("svc-2");
            assertThat(scarborough).containsEntry("status", "PAUSED")
                    .containsEntry("ages", Map.of("min", 12, "max", 18));
            assertThat(((List<?>) scarborough.get("sites"))).singleElement()
                    .satisfies(s -> assertThat(((Map<?, ?>) s).get("precision")).isEqualTo("POSTAL_FSA"));
            assertThat(programs.get("svc-5")).containsEntry("status", "ACTIVE");

            // The source changes (a title, a service gone), then fails on page 2: the run fails saying why, and
            // nothing of page 1 is written; no run is left RUNNING.
            directory.services.set(0, service("svc-1", "Downtown Mentors (renamed)", 8, 14, List.of("en"),
                    "ACTIVE", "100 Queen St W", "M5H 2N2", 43.6525, -79.3832));
            directory.services.remove(4);
            directory.failFromPage = 2;
            GraphQlTester.Response failed = run(id);
            failed.path("runConnector.run.status").entity(String.class).isEqualTo("FAILED");
            failed.path("runConnector.run.failure").entity(String.class).satisfies(f -> assertThat(f)
                    .contains("page 2 answered an error").contains("index is being rebuilt")
                    .contains("(at [\"services\"])").doesNotContain(SECRET));
            assertThat(published(mine)).isEqualTo(programs);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_run WHERE connector_id = ?::uuid "
                    + "AND status = 'RUNNING'", Long.class, id)).isZero();

            // Once the source answers again, the next full read applies both changes.
            directory.failFromPage = 0;
            GraphQlTester.Response again = run(id);
            assertThat(counts(again)).containsEntry("read", 5).containsEntry("updated", 1)
                    .containsEntry("unchanged", 2).containsEntry("retired", 1).containsEntry("rejected", 2);
            assertThat(published(mine).get("svc-1")).containsEntry("name", "Downtown Mentors (renamed)")
                    .containsEntry("languages", List.of("en"));
            assertThat(jdbc.queryForObject("SELECT status FROM program WHERE partnership_id = ? "
                    + "AND source_id = 'svc-5'", String.class, mine.getId())).isEqualTo("RETIRED");

            // A records path that reaches no list in the answer fails the run naming it, and changes nothing.
            Map<String, Object> astray = mapping();
            astray.put("records", "data.services.edges[].item");
            connector.put("mapping", astray);
            connector.remove("credentials");
            graphQl.documentName("updateConnector").variable("id", id).variable("connector", connector).execute()
                    .path("updateConnector.connector.credentials.secretStored").entity(Boolean.class).isEqualTo(true);
            Map<String, Map<String, Object>> before = published(mine);
            GraphQlTester.Response lost = run(id);
            lost.path("runConnector.run.status").entity(String.class).isEqualTo("FAILED");
            lost.path("runConnector.run.failure").entity(String.class).satisfies(f -> assertThat(f)
                    .contains("page 1: the answer has no list of records at data.services.edges[].item"));
            assertThat(published(mine)).isEqualTo(before);
        }
    }

    private GraphQlTester.Response run(String id) {
        return graphQl.documentName("runConnector").variable("id", id).variable("full", false)
                .variable("wait", true).execute();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> counts(GraphQlTester.Response response) {
        return response.path("runConnector.run.counts").entity(Map.class).get();
    }

    /** The partnership's ACTIVE and PAUSED programs through the hub's GraphQL, by source id. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> published(Partnership partnership) {
        List<Map<String, Object>> nodes = graphQl.documentName("mappedPrograms")
                .variable("filter", Map.of("partnership", List.of(partnership.getId().toString()),
                        "status", List.of("ACTIVE", "PAUSED")))
                .execute().path("programs.edges[*].node").entityList(Map.class).get().stream()
                .map(n -> (Map<String, Object>) n).toList();
        Map<String, Map<String, Object>> bySourceId = new HashMap<>();
        for (Map<String, Object> node : new ArrayList<>(nodes)) {
            bySourceId.put((String) ((Map<String, Object>) node.get("provenance")).get("sourceId"), node);
        }
        return bySourceId;
    }
}
