package ca.cmp.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubHttp;
import ca.cmp.hub.support.HubOverHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The holes a hostile outsider found in a hub started from the README (issue 17), each replayed over HTTP exactly
 * as found: every one must now be refused with a 4xx or a BAD_REQUEST naming what is wrong, and never do the work.
 */
@HubOverHttp
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutsiderFindingsTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    PartnershipRepository partnerships;

    @Autowired
    ca.cmp.hub.security.ApiClients apiClients;

    @Autowired
    JdbcTemplate jdbc;

    HubHttp hub;
    Partnership demo;
    Partnership big;

    @BeforeAll
    void hub() {
        hub = new HubHttp(port);
        demo = DemoPartnership.of(partnerships, apiClients);
        big = fixtures.partnership("Findings: many programs");
        for (int i = 0; i < 5; i++) {
            fixtures.save(fixtures.program(big, "Findings " + i, 43.65 + i * 0.01, -79.38, 6, 18,
                    MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")));
        }
    }

    JsonNode graphql(String caller, String query) throws Exception {
        HttpResponse<String> response = hub.post(caller, HubHttp.body(query, null));
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        return HubHttp.json(response);
    }

    static JsonNode onlyError(JsonNode response) {
        assertThat(response.path("errors").size()).as(response.toString()).isEqualTo(1);
        JsonNode error = response.path("errors").get(0);
        assertThat(error.path("extensions").path("classification").asString()).isEqualTo("BAD_REQUEST");
        return error;
    }

    static String aliased(int count, String field) {
        return IntStream.range(0, count).mapToObj(i -> "a" + i + ": " + field).collect(Collectors.joining(" "));
    }

    // 1. The cost limit overflowed in 32 bits.

    @Test
    void aHugeFirstNoLongerWrapsTheCostNegative() throws Exception {
        String heavy = aliased(12, "partnerships { programs { partnership { programs { id } } } }");
        assertThat(onlyError(graphql("anonymous", "{ " + heavy + " }")).path("message").asString())
                .contains("maximum query complexity exceeded");
        JsonNode withHugeFirst = graphql("anonymous", "{ " + heavy + " x: programs(first: 1610612736) { totalCount } }");
        JsonNode error = onlyError(withHugeFirst);
        assertThat(error.path("extensions").path("argument").asString()).isEqualTo("first");
        assertThat(error.path("message").asString()).contains("must be from 1 to 100, got 1610612736");
        assertThat(withHugeFirst.path("data").isMissingNode() || withHugeFirst.path("data").isNull()).isTrue();
    }

    @Test
    void rejectionsHonourFirstAndAHugeOneIsRefusedBeforeAnythingRuns() throws Exception {
        String invalid = IntStream.range(0, 3).mapToObj(i -> "{sourceId: \"bad-" + i + "\", name: \"\"}")
                .collect(Collectors.joining(", "));
        JsonNode push = graphql("partner", "mutation { publishPrograms(partnership: \"demo-toronto\", programs: ["
                + invalid + "]) { __typename ... on SyncReport { run { id counts { rejected } } } } }");
        assertThat(push.path("data").path("publishPrograms").path("run").path("counts").path("rejected").asInt())
                .as(push.toString()).isEqualTo(3);
        String run = push.path("data").path("publishPrograms").path("run").path("id").asString();
        JsonNode two = graphql("partner", "{ syncRun(id: \"" + run + "\") { rejections(first: 2) { position } } }");
        assertThat(two.path("data").path("syncRun").path("rejections").size()).as(two.toString()).isEqualTo(2);
        String heavy = aliased(12, "partnerships { programs { partnership { programs { id } } } }");
        JsonNode huge = graphql("partner", "{ " + heavy + " syncRuns(partnership: \"demo-toronto\") { "
                + "rejections(first: 1610612736) { field } } }");
        assertThat(onlyError(huge).path("extensions").path("argument").asString()).isEqualTo("first");
        assertThat(huge.path("data").isMissingNode() || huge.path("data").isNull()).isTrue();
    }

    // 2. Request bodies were unbounded.

    @Test
    void aTwentyMegabyteBodyIsRefusedUnread() throws Exception {
        byte[] body = ("{\"query\": \"{ viewer { anonymous } }\", \"variables\": {\"pad\": \""
                + "x".repeat(20 * 1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = hub.post("anonymous", "/graphql", "application/json", body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"argument\":\"body\"").contains("max-request-size");
    }

    // 6. Audit flood and log forging.

    @Test
    void refusedInputIsCappedAndEscapedInTheAuditAndAnonymousRefusalsAreRateLimited() throws Exception {
        long before = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM audit_event", Long.class);
        String id = "forged\nRefused nothing on everything for admin\n" + "x".repeat(1_000_000);
        String query = "mutation($id: ID!) { loadCensusDataset(input: {id: $id, level: PROVINCE, title: \"t\", "
                + "vintage: \"v\", source: \"s\", licence: \"l\", boundaries: \"b.geojson\", codeProperty: \"c\", "
                + "nameProperty: \"n\", counts: {censusProfile: \"p.csv\"}}) { __typename } }";
        HttpResponse<String> response = hub.post("anonymous", HubHttp.body(query, Map.of("id", id)));
        assertThat(response.body()).contains("NotAllowed");
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT target, detail FROM audit_event WHERE id > ? ORDER BY id", before);
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            for (Object text : row.values()) {
                if (text != null) {
                    assertThat(text.toString()).hasSizeLessThan(300).doesNotContain("\n");
                }
            }
        }
        // A flood of anonymous refusals: at most 60 written one by one in a minute, the rest summed up.
        for (int i = 0; i < 90; i++) {
            hub.post("anonymous", HubHttp.body(query, Map.of("id", "flood-" + i)));
        }
        long written = jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE id > ? AND subject IS NULL "
                + "AND action <> 'anonymous refusals'", Long.class, before);
        assertThat(written).isLessThanOrEqualTo(2 * 60);
    }

    // 7. Amplification within the cost limit: unpaged lists were costed at 10.

    @Test
    void childListsArePagedAndCostedByWhatTheyMayReturn() throws Exception {
        JsonNode two = graphql("anonymous", "{ partnership(id: \"" + big.getId() + "\") { programs(first: 2) { name } } }");
        assertThat(two.path("data").path("partnership").path("programs").size()).as(two.toString()).isEqualTo(2);
        JsonNode amplified = graphql("anonymous", "{ partnerships { programs { sites { id name address } "
                + "partnership { programs { id name description } } } } }");
        assertThat(onlyError(amplified).path("message").asString()).contains("maximum query complexity exceeded");
    }

    // 12. Two 500s.

    @Test
    void aNullBodyAndTheAuthorizationCodeEndpointAreClientErrors() throws Exception {
        HttpResponse<String> nullBody = hub.post("anonymous", "null");
        assertThat(nullBody.statusCode()).isEqualTo(400);
        assertThat(nullBody.body()).contains("\"argument\":\"body\"").contains("must be a JSON object");
        HttpResponse<String> authorize = hub.get("anonymous",
                "/oauth2/authorize?response_type=code&client_id=demo-admin");
        assertThat(authorize.statusCode()).isEqualTo(404);
        assertThat(authorize.body()).contains("client-credentials grant only");
    }

    // 13. Bare 400s, tampered cursors, aliases counted in the text, the push limit as NotAllowed.

    @Test
    void nonJsonNumbersAndDeepJsonSayWhatIsWrong() throws Exception {
        HttpResponse<String> nan = hub.post("anonymous", "{\"query\": \"{ viewer { anonymous } }\", "
                + "\"variables\": {\"x\": NaN}}");
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(nan.body()).contains("NaN, Infinity and -Infinity are not JSON numbers").contains("line 1");
        HttpResponse<String> deep = hub.post("anonymous", "{\"query\": \"{ viewer { anonymous } }\", \"variables\": "
                + "{\"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}}");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(deep.body()).contains("nested deeper than");
    }

    @Test
    void tamperedCursorsWithNonFiniteDistancesAreRefused() throws Exception {
        for (String distance : List.of("NaN", "Infinity", "-Infinity", "-1.0")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("d\n" + distance + "\n"
                    + big.getId()).getBytes(StandardCharsets.UTF_8));
            JsonNode response = graphql("anonymous", "{ programs(filter: {near: {latitude: 43.65, longitude: -79.38, "
                    + "radiusKm: 10}}, after: \"" + cursor + "\") { edges { cursor } } }");
            assertThat(onlyError(response).path("extensions").path("argument").asString()).as(distance)
                    .isEqualTo("after");
        }
    }

    @Test
    void aliasesAreCountedAsExecutedThroughSharedFragments() throws Exception {
        String fragment = "fragment many on Partnership { " + aliased(20, "name") + " }";
        String query = "{ x: partnerships { ...many } y: partnerships { ...many } z: partnerships { ...many } } "
                + fragment;
        JsonNode response = graphql("anonymous", query);
        assertThat(onlyError(response).path("message").asString()).contains("the query uses 63 aliases");
    }

    @Test
    void aPushOverTheLimitIsABadRequestNamingProgramsNotARefusal() throws Exception {
        long audited = jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class);
        List<Map<String, Object>> programs = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            programs.add(Map.of("sourceId", "p" + i, "name", "n"));
        }
        HttpResponse<String> response = hub.post("partner", HubHttp.body("mutation($p: [ProgramInput!]!) { "
                + "publishPrograms(partnership: \"demo-toronto\", programs: $p) { __typename } }", Map.of("p", programs)));
        JsonNode error = onlyError(HubHttp.json(response));
        assertThat(error.path("extensions").path("argument").asString()).isEqualTo("programs");
        assertThat(error.path("message").asString()).contains("at most 10000 programs per call, got 10001");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class)).isEqualTo(audited);
    }

    // 15. Introspection was open to anonymous callers.

    @Test
    void introspectionNeedsATokenByDefault() throws Exception {
        String introspect = "{ __schema { queryType { name } } }";
        JsonNode anonymous = graphql("anonymous", introspect);
        assertThat(onlyError(anonymous).path("message").asString()).contains("introspection needs a token");
        JsonNode withToken = graphql("funder", introspect);
        assertThat(withToken.path("data").path("__schema").path("queryType").path("name").asString())
                .as(withToken.toString()).isEqualTo("Query");
        // Having passed the limits with a token, the same document is still refused without one.
        assertThat(onlyError(graphql("anonymous", introspect)).path("message").asString())
                .contains("introspection needs a token");
        assertThat(graphql("anonymous", "{ __typename }").path("data").path("__typename").asString())
                .isEqualTo("Query");
    }

    // 11. Connector mappings were barely checked.

    @Test
    void aConnectorMappingIsCheckedWhenRegistered() throws Exception {
        java.nio.file.Path feed = java.nio.file.Path.of("target/test-imports/findings-feed.csv").toAbsolutePath();
        java.nio.file.Files.createDirectories(feed.getParent());
        java.nio.file.Files.writeString(feed, "id,name,latitude,longitude\n1,Feed,43.65,-79.38\n");
        String register = "mutation($m: JSON) { registerConnector(partnership: \"demo-toronto\", connector: {name: "
                + "\"%s\", kind: CSV, location: \"" + feed + "\", mapping: $m}) { __typename "
                + "... on InvalidConnector { field message } } }";
        Map<String, Object> cases = Map.of(
                "connector.mapping.defaults.radiusKm", Map.of("defaults", Map.of("radiusKm", -1)),
                "connector.mapping.defaults.model", Map.of("defaults", Map.of("model", "HYPNOSIS")),
                "connector.mapping", Map.of("defaults", Map.of("description", "x".repeat(2_000_000))));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            HttpResponse<String> response = hub.post("partner", HubHttp.body(register.formatted(c.getKey()),
                    Map.of("m", c.getValue())));
            JsonNode result = HubHttp.json(response).path("data").path("registerConnector");
            assertThat(result.path("__typename").asString()).as(response.body()).isEqualTo("InvalidConnector");
            assertThat(result.path("field").asString()).isEqualTo(c.getKey());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connector WHERE name LIKE 'connector.mapping%'",
                Long.class)).isZero();
    }
}
