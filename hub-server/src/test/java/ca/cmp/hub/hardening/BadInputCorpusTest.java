package ca.cmp.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubHttp;
import ca.cmp.hub.support.HubOverHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The replayable bad-input corpus: every case in {@code src/test/resources/bad-input/*.json} (a request, the
 * caller's role, the expected status class and the argument its error must name) is sent to a real hub over HTTP.
 * No case may get a 5xx or an internal error, every case's error must name its argument, and the stored data
 * (programs, sites, partnerships, organizations, connectors, census layers, scenarios) must be exactly as before.
 *
 * <p>Placeholders in a case's strings: {@code {{partnership}}} (the demo partner's slug), {@code {{partnershipId}}},
 * {@code {{otherPartnership}}}, {@code {{program}}}, {@code {{connector}}}, {@code {{run}}}, {@code {{dataset}}},
 * {@code {{importDir}}}, {@code {{repeat:N:c}}}, {@code {{cursor:d|n:key}}} (a cursor for the demo program),
 * {@code {{rawcursor:text}}}, {@code {{list:N:item}}}; a variable whose whole value is {@code {{programs:N}}} or
 * {@code {{strings:N}}} becomes N program records or N strings.
 */
@HubOverHttp
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusTest {

    static final List<String> DIGESTED = List.of("partnership", "organization", "program", "site", "program_version",
            "connector", "census_dataset", "census_area", "scenario");

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
    final HttpClient http = HttpClient.newHttpClient();
    final Map<String, String> values = new LinkedHashMap<>();
    String digestBefore;
    int cases;

    @BeforeAll
    void setUp() throws Exception {
        hub = new HubHttp(port);
        Partnership demo = DemoPartnership.of(partnerships, apiClients);
        Partnership other = fixtures.partnership("Corpus: someone else's");
        UUID program = fixtures.save(fixtures.program(demo, "Corpus program", 43.65, -79.38, 6, 18,
                MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en"))).getId();
        Path dir = Path.of("target/test-imports/corpus-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("areas.geojson"), """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {"code": "C1", "name": "Corpus one", "y5": 300, "y10": 250, "y15": 200},
                  "geometry": {"type": "Polygon", "coordinates": [[[-79.45, 43.6], [-79.35, 43.6], [-79.35, 43.7], [-79.45, 43.6]]]}},
                 {"type": "Feature", "properties": {"code": "C2", "name": "Corpus two", "y5": 3, "y10": 2, "y15": 1},
                  "geometry": {"type": "Polygon", "coordinates": [[[-79.35, 43.6], [-79.25, 43.6], [-79.25, 43.7], [-79.35, 43.6]]]}}]}""");
        Files.writeString(dir.resolve("broken.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [");
        Files.writeString(dir.resolve("counts.csv"), "code,y5,y10,y15\nC1,1,2,3\n");
        Files.writeString(dir.resolve("feed.csv"), "id,name,latitude,longitude\n1,Feed,43.65,-79.38\n");
        values.put("partnershipId", demo.getId().toString());
        values.put("partnership", demo.getSlug());
        values.put("otherPartnership", other.getSlug());
        values.put("program", program.toString());
        values.put("dataset", "corpus-areas");
        values.put("importDir", dir.toString());

        JsonNode loaded = ok("planner", """
                mutation($b: String!) { loadCensusDataset(input: {id: "corpus-areas", level: NEIGHBOURHOOD, title: "t",
                  vintage: "v", source: "s", licence: "l", boundaries: $b, codeProperty: "code", nameProperty: "name",
                  province: "ON", counts: {properties: {age5to9: "y5", age10to14: "y10", age15to19: "y15"}}}) {
                  __typename ... on InvalidCensusImport { field message } } }""",
                Map.of("b", dir.resolve("areas.geojson").toString()));
        assertThat(loaded.path("loadCensusDataset").path("__typename").asString()).as(loaded.toString())
                .isEqualTo("CensusDatasetLoaded");
        JsonNode connector = ok("partner", """
                mutation($l: String!) { registerConnector(partnership: "demo-toronto", connector: {name: "corpus feed %s",
                  kind: CSV, location: $l}) { __typename ... on ConnectorSaved { connector { id } }
                  ... on InvalidConnector { field message } } }""".formatted(UUID.randomUUID()),
                Map.of("l", dir.resolve("feed.csv").toString()));
        values.put("connector", connector.path("registerConnector").path("connector").path("id").asString());
        assertThat(values.get("connector")).as(connector.toString()).isNotBlank();
        JsonNode push = ok("partner", """
                mutation { publishPrograms(partnership: "demo-toronto", programs: [{sourceId: "corpus-bad", name: ""}]) {
                  ... on SyncReport { run { id } } } }""", null);
        values.put("run", push.path("publishPrograms").path("run").path("id").asString());
        assertThat(values.get("run")).as(push.toString()).isNotBlank();
        digestBefore = digest();
    }

    JsonNode ok(String caller, String query, Map<String, ?> variables) throws Exception {
        HttpResponse<String> response = hub.post(caller, HubHttp.body(query, variables));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = HubHttp.json(response);
        assertThat(body.path("errors").isMissingNode()).as(response.body()).isTrue();
        return body.path("data");
    }

    String digest() {
        StringBuilder all = new StringBuilder();
        for (String table : DIGESTED) {
            all.append(table).append('=').append(jdbc.queryForObject("SELECT md5(coalesce(string_agg(md5(t::text), '' "
                    + "ORDER BY md5(t::text)), '')) FROM " + table + " t", String.class)).append(' ');
        }
        return all.toString();
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath:bad-input/*.json")) {
            try (InputStream in = file.getInputStream()) {
                String operation = file.getFilename().replace(".json", "");
                for (JsonNode c : HubHttp.JSON.readTree(in)) {
                    all.add(Arguments.of(operation + ": " + c.path("name").asString(), c));
                }
            }
        }
        return all.stream();
    }

    @Test
    @Order(0)
    void theCorpusIsLargeAndCoversEveryOperation() throws IOException {
        List<Arguments> all = corpus().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(250);
        String text = all.stream().map(a -> a.get()[1].toString()).reduce("", String::concat);
        for (String operation : List.of("programs(", "program(", "partnerships", "partnership(", "organizations",
                "syncRuns", "syncRun(", "rejections", "connectors(", "connector(", "censusAreas", "coverage(",
                "access(", "expansionPlan", "createScenario", "deleteScenario", "compareScenario", "publishPrograms",
                "retirePrograms", "registerConnector", "updateConnector", "runConnector", "loadCensusDataset",
                "__schema", "/oauth2/token", "/oauth2/authorize")) {
            assertThat(text).as("a case of " + operation).contains(operation);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void isRefusedCleanlyNamingItsArgument(String name, JsonNode c) throws Exception {
        cases++;
        HttpResponse<String> response = send(c);
        String body = response.body();
        assertThat(response.statusCode()).as("status of %s: %s", name, abbreviated(body)).isLessThan(500);
        String expect = c.path("expect").asString();
        if (expect.equals("4xx")) {
            assertThat(response.statusCode()).as("status of %s: %s", name, abbreviated(body)).isBetween(400, 499);
        } else {
            assertThat(response.statusCode()).as("status of %s: %s", name, abbreviated(body)).isEqualTo(200);
        }
        assertThat(body).as(name).doesNotContain("INTERNAL_ERROR").doesNotContain("Exception")
                .doesNotContain("at ca.cmp").doesNotContain("PreparedStatement").doesNotContain("SQL [");
        List<String> texts = errorTexts(body);
        assertThat(texts).as("%s answers with an error: %s", name, abbreviated(body)).isNotEmpty();
        String names = fill(c.path("names").asString());
        assertThat(texts).as("%s names %s: %s", name, names, abbreviated(body))
                .anySatisfy(t -> assertThat(t).contains(names));
    }

    @Test
    @Order(2)
    void storedDataIsUnchanged() {
        assertThat(cases).as("the corpus ran first").isGreaterThanOrEqualTo(250);
        assertThat(digest()).isEqualTo(digestBefore);
    }

    HttpResponse<String> send(JsonNode c) throws Exception {
        String caller = c.path("caller").asString();
        if (c.has("http")) {
            JsonNode h = c.get("http");
            HttpRequest.Builder request = HttpRequest.newBuilder(hub.uri(fill(h.path("path").asString())));
            if (h.has("basic")) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        h.path("basic").asString().getBytes(StandardCharsets.UTF_8)));
            }
            if (h.path("method").asString().equals("POST")) {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(h.path("form").asString()));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        String contentType = c.has("contentType") ? c.get("contentType").asString() : "application/json";
        String body;
        if (c.has("body")) {
            body = fill(c.get("body").asString());
        } else {
            ObjectNode request = HubHttp.JSON.createObjectNode();
            request.put("query", fill(c.path("query").asString()));
            if (c.has("operationName")) {
                request.put("operationName", c.get("operationName").asString());
            }
            if (c.has("variables")) {
                request.set("variables", fill(c.get("variables")));
            }
            body = HubHttp.JSON.writeValueAsString(request);
        }
        return hub.post(caller, "/graphql", contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z]+)(?::([^}]*))?}}");

    String fill(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String arg = m.group(2);
            String value = switch (key) {
                case "repeat" -> String.valueOf(arg.charAt(arg.indexOf(':') + 1)).repeat(
                        Integer.parseInt(arg.substring(0, arg.indexOf(':'))));
                case "cursor" -> Base64.getUrlEncoder().withoutPadding().encodeToString((arg.charAt(0) + "\n"
                        + arg.substring(2) + "\n" + values.get("program")).getBytes(StandardCharsets.UTF_8));
                case "rawcursor" -> Base64.getUrlEncoder().withoutPadding().encodeToString(
                        arg.getBytes(StandardCharsets.UTF_8));
                case "list" -> String.join(", ", java.util.Collections.nCopies(
                        Integer.parseInt(arg.substring(0, arg.indexOf(':'))), arg.substring(arg.indexOf(':') + 1)));
                default -> {
                    String v = values.get(key);
                    if (v == null) {
                        throw new IllegalArgumentException("unknown placeholder " + m.group());
                    }
                    yield v;
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    JsonNode fill(JsonNode node) {
        if (node.isString()) {
            String text = node.asString();
            Matcher many = Pattern.compile("\\{\\{(programs|strings):(\\d+)}}").matcher(text);
            if (many.matches()) {
                int n = Integer.parseInt(many.group(2));
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(many.group(1).equals("strings") ? "corpus-" + i
                            : Map.of("sourceId", "corpus-" + i, "name", "Corpus " + i));
                }
                return HubHttp.JSON.valueToTree(items);
            }
            return HubHttp.JSON.getNodeFactory().stringNode(fill(text));
        }
        if (node.isObject()) {
            ObjectNode copy = HubHttp.JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), fill(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = HubHttp.JSON.createArrayNode();
            node.forEach(item -> copy.add(fill(item)));
            return copy;
        }
        return node;
    }

    /**
     * What the answer says is wrong: each GraphQL error's message, argument and field; each payload's field,
     * argument and message (InvalidConnector, NotAllowed, rejections…); or, for a non-GraphQL answer, its body.
     */
    static List<String> errorTexts(String body) {
        List<String> texts = new ArrayList<>();
        JsonNode root;
        try {
            root = HubHttp.JSON.readTree(body);
        } catch (RuntimeException notJson) {
            texts.add(body);
            return texts;
        }
        if (root == null || !root.has("errors") && !root.has("data")) {
            if (!body.isBlank()) {
                texts.add(body);
            }
            return texts;
        }
        for (JsonNode error : root.path("errors")) {
            texts.add(error.path("message").asString(""));
            texts.add(error.path("extensions").path("argument").asString(""));
            texts.add(error.path("extensions").path("field").asString(""));
        }
        collect(root.path("data"), texts);
        texts.removeIf(String::isEmpty);
        return texts;
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isObject()) {
            for (String key : List.of("field", "argument", "message", "reason")) {
                if (node.path(key).isString()) {
                    texts.add(node.get(key).asString());
                }
            }
            node.forEach(child -> collect(child, texts));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, texts));
        }
    }

    static String abbreviated(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }
}
