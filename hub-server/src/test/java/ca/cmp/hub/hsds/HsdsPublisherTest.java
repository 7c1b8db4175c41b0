package ca.cmp.hub.hsds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.OpenData;
import ca.cmp.hub.support.TestProgram;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's HSDS 3.0 API: every response valid against the official HSDS 3.0 schemas (read from the open-data
 * bundle at test time, never copied here), page figures, no private field, and the round trip: the hub's own
 * HSDS_API connector pulls the hub's API into a second partnership, and the programs read back equal in every
 * field the hub keeps.
 *
 * <p>A real hub on a random port; its connectors may reach loopback (as an administrator would allow), which no
 * shared context allows, so the context is this class's own and closed after it (its pools stop). The connector
 * reads the API through a loopback proxy that pins {@code organization_id} on {@code /services} to this test's
 * organization, so that the programs other test classes left in the shared database stay out of the pull.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hub.connectors.allowed-networks=127.0.0.1/32", "hub.connectors.poll-interval=1h"})
@AutoConfigureGraphQlTester
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HsdsPublisherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PRIVATE_EMAIL = "private-contact@example.org";
    private static final String PRIVATE_PHONE = "416-555-0199";
    private static final String BASE = "https://hsds.schema.test/";

    static SchemaRegistry schemas;
    static HttpServer proxy;
    static volatile String pinnedOrganization;

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    Partnership source;
    Organization provider;
    String organizationId;
    TestProgram oneToOne;
    TestProgram online;
    TestProgram hybrid;
    Instant beforeSaving;

    /** The official schemas, each under its file name below one base, so their relative $refs resolve. */
    @BeforeAll
    static void officialSchemas() throws IOException {
        Path dir = OpenData.dir().resolve("hsds/hsds-3.0/schema");
        Map<String, String> byId = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                byId.put(BASE + dir.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        JsonNode openapi = JSON.readTree(byId.get(BASE + "openapi.json"));
        byId.put(BASE + "page.json", openapi.at("/components/schemas/Page").toString());
        byId.put(BASE + "root.json",
                openapi.at("/paths/~1/get/responses/200/content/application~1json/schema").toString());
        for (String item : List.of("compiled/service.json", "compiled/service_list.json",
                "compiled/organization_list.json", "compiled/service_at_location_list.json", "taxonomy.json",
                "taxonomy_term.json")) {
            byId.put(BASE + "page-of/" + item, pageOf(BASE + item));
        }
        // Formats (uuid, uri, email, date-time) asserted too: the ids and addresses must be what HSDS says.
        schemas = SchemaRegistry.withDialect(Dialects.getDraft202012(), builder -> builder
                .schemas(byId).schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                        .build()));
    }

    /** A list response: the API reference's Page with every figure present and contents of the item schema. */
    private static String pageOf(String itemId) {
        ObjectNode page = JSON.createObjectNode();
        page.putArray("allOf").addObject().put("$ref", BASE + "page.json");
        page.put("type", "object");
        var required = page.putArray("required");
        List.of("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")
                .forEach(required::add);
        ObjectNode contents = page.putObject("properties").putObject("contents");
        contents.put("type", "array");
        contents.putObject("items").put("$ref", itemId);
        return page.toString();
    }

    @AfterAll
    static void stopBridge() {
        if (proxy != null) {
            proxy.stop(0);
        }
    }

    private String hub() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The hub's HSDS API as this test's connector reads it: a loopback proxy that forwards every request to the
     * hub's port, adding {@code organization_id} (this test's organization) to {@code /hsds/services}.
     */
    private String pinnedFeed(String organization) throws IOException {
        if (proxy == null) {
            proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.createContext("/", exchange -> {
                String uri = exchange.getRequestURI().toString();
                if (exchange.getRequestURI().getPath().equals("/hsds/services")) {
                    uri += (uri.contains("?") ? "&" : "?") + "organization_id=" + pinnedOrganization;
                }
                try {
                    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(hub() + uri)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    byte[] body = response.body();
                    response.headers().firstValue("Content-Type")
                            .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
                    exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                } finally {
                    exchange.close();
                }
            });
            proxy.start();
        }
        pinnedOrganization = organization;
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    @BeforeEach
    void publishedPrograms() {
        source = fixtures.partnership("HSDS publisher");
        provider = new Organization(java.util.UUID.randomUUID(), source.getId(), "hsds-org-" + source.getSlug(),
                "Mentors of " + source.getSlug(), "https://mentors.example.org/" + source.getSlug(), PRIVATE_EMAIL,
                PRIVATE_PHONE);
        beforeSaving = Instant.now();
        oneToOne = fixtures.draft(source, "HSDS one-to-one").description("Weekly mentoring after school.")
                .ages(8, 14).model(MentoringModel.ONE_TO_ONE, ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON)
                .languages(List.of("en", "fr")).radius(5).capacity(3, 10, null).fees(true, "No cost to families")
                .organization(provider)
                .addSite(new SourceProgram.Site("a", "HSDS school east", "100 Queen St W", "Toronto", "ON",
                        "M5H 2N2", 43.6534, -79.3841, LocationPrecision.EXACT))
                .addSite(new SourceProgram.Site("b", "HSDS school west", "1 Dundas St W", "Toronto", "ON",
                        "M5G 1Z3", 43.6561, -79.3802, LocationPrecision.EXACT));
        online = fixtures.draft(source, "HSDS e-mentoring").description("Mentoring by video call.").ages(12, 18)
                .model(MentoringModel.E_MENTORING, ProgramSetting.ONLINE, DeliveryMode.VIRTUAL)
                .languages(List.of("fr")).servesRegion().status(ProgramStatus.PAUSED).organization(provider);
        hybrid = fixtures.draft(source, "HSDS group").ages(6, 12)
                .model(MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.HYBRID)
                .languages(List.of("en")).radius(5).fees(null, "Sliding scale").status(ProgramStatus.CLOSED)
                .organization(provider)
                .addSite(new SourceProgram.Site("c", "HSDS community hall", null, "Toronto", "ON", null, 43.70,
                        -79.42, LocationPrecision.EXACT));
        fixtures.saveAll(List.of(oneToOne, online, hybrid));
        organizationId = get("/hsds/services/" + oneToOne.getId()).path("organization").path("id").asString();
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
        pinnedOrganization = null;
    }

    private JsonNode get(String path) {
        return JSON.readTree(getText(path, 200));
    }

    private String getText(String path, int status) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(hub() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
            assertThat(response.body()).as(path).doesNotContain(PRIVATE_EMAIL).doesNotContain(PRIVATE_PHONE);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response at {@code path}, after checking it against the schema {@code schemaFile}. */
    private JsonNode valid(String path, String schemaFile) {
        String body = getText(path, 200);
        Schema schema = schemas.getSchema(SchemaLocation.of(BASE + schemaFile));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        assertThat(errors).as(path + " against " + schemaFile).isEmpty();
        return JSON.readTree(body);
    }

    private String org() {
        return organizationId;
    }

    @Test
    void everyResponseIsValidHsds30() {
        assertThat(valid("/hsds/", "root.json").path("version").asString()).isEqualTo("3.0");
        assertThat(valid("/hsds", "root.json").path("openapi_url").asString()).endsWith("openapi.json");

        JsonNode list = valid("/hsds/services?organization_id=" + org(), "page-of/compiled/service_list.json");
        assertThat(list.path("contents")).extracting(s -> s.path("name").asString())
                .containsExactly("HSDS e-mentoring", "HSDS group", "HSDS one-to-one");
        JsonNode full = valid("/hsds/services?full=true&per_page=100&organization_id=" + org(),
                "page-of/compiled/service.json");
        assertThat(full.path("contents").get(2).path("service_at_locations")).hasSize(2);
        // Whatever else the shared database holds is published valid too.
        valid("/hsds/services?page=1&per_page=100", "page-of/compiled/service_list.json");
        valid("/hsds/services?full=true&page=1&per_page=100", "page-of/compiled/service.json");
        valid("/hsds/service_at_locations?per_page=100", "page-of/compiled/service_at_location_list.json");

        JsonNode one = valid("/hsds/services/" + oneToOne.getId(), "compiled/service.json");
        assertThat(one.path("status").asString()).isEqualTo("active");
        assertThat(one.path("minimum_age").asInt()).isEqualTo(8);
        assertThat(one.path("organization").path("website").asString()).startsWith("https://mentors.example.org/");
        assertThat(one.path("service_at_locations").get(0).path("location").path("addresses").get(0)
                .path("postal_code").asString()).isEqualTo("M5H 2N2");
        assertThat(one.path("attributes")).extracting(a -> a.path("taxonomy_term").path("name").asString())
                .containsExactly("One-to-one mentoring", "School-based");
        assertThat(valid("/hsds/services/" + online.getId(), "compiled/service.json").path("status").asString())
                .isEqualTo("inactive");
        assertThat(valid("/hsds/services/" + hybrid.getId(), "compiled/service.json").path("service_at_locations"))
                .extracting(l -> l.path("location").path("location_type").asString())
                .containsExactly("physical", "virtual");

        valid("/hsds/organizations?per_page=100", "page-of/compiled/organization_list.json");
        JsonNode organization = valid("/hsds/organizations/" + org(), "compiled/organization.json");
        assertThat(organization.path("services")).hasSize(3);
        valid("/hsds/organizations/" + org() + "?full_service=true", "compiled/organization.json");

        JsonNode links = valid("/hsds/service_at_locations?organization_id=" + org(),
                "page-of/compiled/service_at_location_list.json");
        assertThat(links.path("total_items").asInt()).isEqualTo(5);
        String siteLink = one.path("service_at_locations").get(0).path("id").asString();
        assertThat(valid("/hsds/service_at_locations/" + siteLink, "compiled/service_at_location.json")
                .path("service_id").asString()).isEqualTo(oneToOne.getId().toString());
        assertThat(valid("/hsds/service_at_locations/" + online.getId(), "compiled/service_at_location.json")
                .path("location").path("location_type").asString()).isEqualTo("virtual");

        valid("/hsds/taxonomies", "page-of/taxonomy.json");
        JsonNode terms = valid("/hsds/taxonomy_terms?per_page=100", "page-of/taxonomy_term.json");
        assertThat(terms.path("total_items").asInt()).isEqualTo(9);
        String termId = terms.path("contents").get(0).path("id").asString();
        assertThat(valid("/hsds/taxonomy_terms/" + termId, "taxonomy_term.json").path("name").asString())
                .isEqualTo("One-to-one mentoring");
        valid("/hsds/taxonomies/" + MentoringTaxonomy.ID, "taxonomy.json");

        // The validator is not vacuous: a service without its required status fails.
        Schema service = schemas.getSchema(SchemaLocation.of(BASE + "compiled/service.json"));
        assertThat(service.validate("{\"id\": \"" + oneToOne.getId() + "\", \"name\": \"x\"}", InputFormat.JSON))
                .isNotEmpty();
        // And formats are asserted: an id must be a UUID.
        assertThat(service.validate("{\"id\": \"not-a-uuid\", \"name\": \"x\", \"status\": \"active\"}",
                InputFormat.JSON)).isNotEmpty();
        assertThat(service.validate("{\"id\": \"" + oneToOne.getId() + "\", \"name\": \"x\", \"status\": "
                + "\"active\"}", InputFormat.JSON)).isEmpty();
    }

    @Test
    void pagesCountTheirItemsAndModifiedAfterKeepsOnlyLaterChanges() {
        JsonNode first = valid("/hsds/services?per_page=2&organization_id=" + org(),
                "page-of/compiled/service_list.json");
        assertThat(figures(first)).isEqualTo(List.of(3L, 2L, 1L, 2L, true, false, false));
        JsonNode second = valid("/hsds/services?page=2&per_page=2&organization_id=" + org(),
                "page-of/compiled/service_list.json");
        assertThat(figures(second)).isEqualTo(List.of(3L, 2L, 2L, 1L, false, true, false));
        assertThat(second.path("contents").get(0).path("name").asString()).isEqualTo("HSDS one-to-one");
        JsonNode past = valid("/hsds/services?page=3&per_page=2&organization_id=" + org(),
                "page-of/compiled/service_list.json");
        assertThat(figures(past)).isEqualTo(List.of(3L, 2L, 3L, 0L, false, true, true));

        JsonNode links = valid("/hsds/service_at_locations?page=2&per_page=3&organization_id=" + org(),
                "page-of/compiled/service_at_location_list.json");
        assertThat(figures(links)).isEqualTo(List.of(5L, 2L, 2L, 2L, false, true, false));

        JsonNode organizations = valid("/hsds/organizations?per_page=1", "page-of/compiled/organization_list.json");
        long withPrograms = organizations.path("total_items").asLong();
        assertThat(organizations.path("total_pages").asLong()).isEqualTo(withPrograms);
        assertThat(organizations.path("size").asInt()).isEqualTo(1);

        // modified_after: on or after the program's last change.
        JsonNode all = valid("/hsds/services?organization_id=" + org() + "&modified_after="
                + encode(beforeSaving.toString()), "page-of/compiled/service_list.json");
        assertThat(all.path("total_items").asInt()).isEqualTo(3);
        Instant beforeEdit = Instant.now();
        fixtures.save(oneToOne.description("Weekly mentoring after school, now on Saturdays too."));
        JsonNode changed = valid("/hsds/services?organization_id=" + org() + "&modified_after="
                + encode(beforeEdit.toString()), "page-of/compiled/service_list.json");
        assertThat(changed.path("contents")).extracting(s -> s.path("name").asString())
                .containsExactly("HSDS one-to-one");
        assertThat(Instant.parse(changed.path("contents").get(0).path("last_modified").asString()))
                .isAfterOrEqualTo(beforeEdit);
        JsonNode none = valid("/hsds/services?modified_after=" + encode(Instant.now().plusSeconds(3600).toString()),
                "page-of/compiled/service_list.json");
        assertThat(figures(none)).isEqualTo(List.of(0L, 0L, 1L, 0L, true, true, true));

        assertThat(getText("/hsds/services?modified_after=yesterday", 400)).contains("modified_after");
        assertThat(getText("/hsds/services?page=0", 400)).contains("page");
        assertThat(getText("/hsds/services/" + java.util.UUID.randomUUID(), 404)).contains("not_found");
    }

    @Test
    void aBadParameterIsRefusedNamingIt() {
        for (String[] bad : new String[][] {{"/hsds/services?page=0", "page"}, {"/hsds/services?page=two", "page"},
                {"/hsds/services?per_page=0", "per_page"}, {"/hsds/organizations?per_page=1e9", "per_page"},
                {"/hsds/services?full=maybe", "full"}, {"/hsds/services?modified_after=yesterday", "modified_after"}}) {
            JsonNode refused = JSON.readTree(getText(bad[0], 400));
            assertThat(refused.get("error").asString()).as(bad[0]).isEqualTo("invalid_parameter");
            assertThat(refused.get("parameter").asString()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(refused.get("message").asString()).as(bad[0]).contains("must be");
        }
        assertThat(JSON.readTree(getText("/hsds/organizations?per_page=1e9", 400)).get("message").asString())
                .isEqualTo("must be a whole number, 1 or more (a page holds at most 100), got \"1e9\"");
        JsonNode missing = JSON.readTree(getText("/hsds/services/not-a-program", 404));
        assertThat(missing.get("message").asString()).contains("not-a-program");
    }

    @Test
    void theProgramsOfARetiredPartnershipAreNoLongerPublished() {
        assertThat(get("/hsds/services?organization_id=" + org()).path("total_items").asInt()).isEqualTo(3);
        jdbc.update("UPDATE partnership SET retired_at = now() WHERE id = ?", source.getId());
        assertThat(get("/hsds/services?organization_id=" + org()).path("total_items").asInt()).isZero();
        assertThat(getText("/hsds/services/" + oneToOne.getId(), 404)).contains("no published service");
        assertThat(getText("/hsds/organizations/" + org(), 404)).contains("no published organization");
        assertThat(getText("/hsds/service_at_locations/" + online.getId(), 404)).contains("not_found");
    }

    @Test
    void privateContactFieldsAreNeverPublished() {
        // getText checks every body for the organization's email and phone; here the fields themselves.
        JsonNode organization = get("/hsds/organizations/" + org() + "?full_service=true");
        assertThat(organization.has("email")).isFalse();
        assertThat(organization.has("phones")).isFalse();
        JsonNode service = get("/hsds/services/" + oneToOne.getId());
        assertThat(service.path("organization").has("email")).isFalse();
        assertThat(service.toString()).doesNotContain(PRIVATE_EMAIL).doesNotContain(PRIVATE_PHONE)
                .doesNotContain("private-contact");
    }

    @Test
    void theHubsOwnHsdsConnectorReadsItsApiBackIntoTheSamePrograms() throws IOException {
        Partnership mirror = fixtures.partnership("HSDS mirror");
        Callers.partnerOf(mirror.getSlug());
        Map<String, Object> connector = Map.of("name", "hsds-round-trip-" + mirror.getSlug(), "kind", "HSDS_API",
                "location", pinnedFeed(org()) + "/hsds", "mapping", Map.of("defaults", Map.of("radiusKm", 5)));
        String id = graphQl.documentName("registerConnector").variable("partnership", mirror.getSlug())
                .variable("connector", connector).execute()
                .path("registerConnector.connector.id").entity(String.class).get();
        GraphQlTester.Response run = graphQl.documentName("runConnector").variable("id", id).variable("full", true)
                .variable("wait", true).execute();
        run.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        run.path("runConnector.run.counts.inserted").entity(Integer.class).isEqualTo(3);
        run.path("runConnector.run.counts.rejected").entity(Integer.class).isEqualTo(0);

        List<Map<String, Object>> original = programs(source);
        List<Map<String, Object>> copied = programs(mirror);
        assertThat(original).hasSize(3);
        assertThat(copied).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> a = new HashMap<>(original.get(i));
            Map<String, Object> b = new HashMap<>(copied.get(i));
            // The copy's source id is the original's id (provenance), and ids are each hub's own.
            assertThat(((Map<?, ?>) b.remove("provenance")).get("sourceId")).isEqualTo(a.remove("id"));
            a.remove("provenance");
            b.remove("id");
            assertThat(b).as("program " + a.get("name")).isEqualTo(a);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> programs(Partnership partnership) {
        List<Map<String, Object>> nodes = graphQl.documentName("hsdsPrograms")
                .variable("partnership", List.of(partnership.getId().toString())).execute()
                .path("programs.edges[*].node").entityList(Map.class).get().stream()
                .map(m -> (Map<String, Object>) m).toList();
        return nodes;
    }

    private static List<Object> figures(JsonNode page) {
        return List.of(page.path("total_items").asLong(), page.path("total_pages").asLong(),
                (long) page.path("page_number").asInt(), (long) page.path("size").asInt(),
                page.path("first_page").asBoolean(), page.path("last_page").asBoolean(), page.path("empty").asBoolean());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
