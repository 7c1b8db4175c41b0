package ca.cmp.hub.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API clients as an administrator and a coordinator manage them, over real HTTP with real tokens from the hub's
 * issuer: a secret shown once and kept as a hash; revocation and rotation refuse the client's earlier tokens on
 * the next request; a client introspects only its own tokens; failed secrets are throttled and audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hub.security.failed-secrets.per-client=3", "hub.security.failed-secrets.per-address=1000"})
@ActiveProfiles("test")
// A context of its own: closed after the class, so its schedulers and pools stop for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ClientsTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    Partnership alberta;
    Partnership yukon;
    String admin;

    @BeforeEach
    void partnerships() throws Exception {
        alberta = fixtures.partnership("Alberta Mentoring Partnership");
        yukon = fixtures.partnership("Yukon Mentoring Partnership");
        admin = token("demo-admin", "demo-admin-secret");
    }

    @Test
    void anAdministratorIssuesAPartnerClientWhoseRevocationRefusesItsTokenOnTheNextRequest() throws Exception {
        JsonNode created = graphQl(admin, "createClient", Map.of("input", Map.of("clientId", id("amp-sync"),
                "name", "AMP nightly sync", "roles", List.of("PARTNER"), "partnership", alberta.getSlug())))
                .get("createClient");
        assertThat(created.get("__typename").asString()).isEqualTo("ClientCredentials");
        String clientId = created.get("client").get("clientId").asString();
        String secret = created.get("secret").asString();
        assertThat(secret).startsWith("cmp_").hasSizeGreaterThan(40);
        // Only a hash is stored.
        String stored = jdbc.queryForObject("SELECT secret_hash FROM api_client WHERE client_id = ?", String.class,
                clientId);
        assertThat(stored).startsWith("{bcrypt}").doesNotContain(secret);

        String partnerToken = token(clientId, secret);
        JsonNode viewer = graphQl(partnerToken, "viewer", Map.of()).get("viewer");
        assertThat(viewer.get("roles").get(0).asString()).isEqualTo("PARTNER");
        assertThat(viewer.get("partnership").asString()).isEqualTo(alberta.getSlug());

        JsonNode revoked = graphQl(admin, "revokeClient", Map.of("clientId", clientId)).get("revokeClient");
        assertThat(revoked.get("client").get("revokedAt").isNull()).isFalse();
        // The token has not expired, and is refused at once.
        assertThat(post("/graphql", partnerToken, body("viewer", Map.of())).statusCode()).isEqualTo(401);
        // And no new token is issued.
        assertThat(tokenResponse(clientId, secret).statusCode()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'revokeClient' AND target = ?",
                Long.class, "client:" + clientId)).isEqualTo(1);
    }

    @Test
    void rotatingASecretRefusesEarlierTokensAndTheOldSecret() throws Exception {
        JsonNode created = graphQl(admin, "createClient", Map.of("input", Map.of("clientId", id("funder"),
                "name", "A funder's dashboard", "roles", List.of("FUNDER")))).get("createClient");
        String clientId = created.get("client").get("clientId").asString();
        String oldSecret = created.get("secret").asString();
        String oldToken = token(clientId, oldSecret);

        JsonNode rotated = graphQl(admin, "rotateClientSecret", Map.of("clientId", clientId))
                .get("rotateClientSecret");
        String newSecret = rotated.get("secret").asString();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(post("/graphql", oldToken, body("viewer", Map.of())).statusCode()).isEqualTo(401);
        assertThat(tokenResponse(clientId, oldSecret).statusCode()).isEqualTo(401);
        String newToken = token(clientId, newSecret);
        assertThat(graphQl(newToken, "viewer", Map.of()).get("viewer").get("subject").asString())
                .isEqualTo(clientId);
    }

    @Test
    void aTokenRevokedAtTheRevocationEndpointIsRefusedAndAClientSeesOnlyItsOwnTokens() throws Exception {
        String planner = token("demo-planner", "demo-planner-secret");
        // Another client's token is unknown to a client: inactive to introspect, untouched by its revocation.
        assertThat(introspect("demo-planner", "demo-planner-secret", admin).get("active").asBoolean()).isFalse();
        assertThat(post("/oauth2/revoke", basic("demo-planner", "demo-planner-secret"),
                "token=" + admin).statusCode()).isEqualTo(200);
        assertThat(graphQl(admin, "viewer", Map.of()).get("viewer").get("subject").asString())
                .isEqualTo("demo-admin");
        // Its own token it introspects and revokes.
        assertThat(introspect("demo-planner", "demo-planner-secret", planner).get("active").asBoolean()).isTrue();
        assertThat(post("/oauth2/revoke", basic("demo-planner", "demo-planner-secret"),
                "token=" + planner).statusCode()).isEqualTo(200);
        assertThat(post("/graphql", planner, body("viewer", Map.of())).statusCode()).isEqualTo(401);
        assertThat(introspect("demo-planner", "demo-planner-secret", planner).get("active").asBoolean()).isFalse();
    }

    @Test
    void failedSecretsAreThrottledPerClientEvenForTheRightSecretAndAudited() throws Exception {
        JsonNode created = graphQl(admin, "createClient", Map.of("input", Map.of("clientId", id("guessed"),
                "name", "Guessed at", "roles", List.of("PLANNER")))).get("createClient");
        String clientId = created.get("client").get("clientId").asString();
        for (int i = 0; i < 3; i++) {
            assertThat(tokenResponse(clientId, "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = tokenResponse(clientId, created.get("secret").asString());
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'clientAuthentication' "
                + "AND target = ? AND outcome = 'REFUSED'", Long.class, "client:" + clientId)).isEqualTo(3);
    }

    @Test
    void aCoordinatorManagesItsOwnPartnershipsPartnerClientsAndNothingElse() throws Exception {
        JsonNode coordinator = graphQl(admin, "createClient", Map.of("input", Map.of("clientId", id("amp-coord"),
                "name", "AMP coordinator", "roles", List.of("COORDINATOR"), "partnership", alberta.getSlug())))
                .get("createClient");
        String coordinatorToken = token(coordinator.get("client").get("clientId").asString(),
                coordinator.get("secret").asString());

        JsonNode own = graphQl(coordinatorToken, "createClient", Map.of("input", Map.of("clientId", id("amp-csv"),
                "name", "AMP CSV", "roles", List.of("PARTNER"), "partnership", alberta.getSlug())))
                .get("createClient");
        assertThat(own.get("__typename").asString()).isEqualTo("ClientCredentials");

        for (Map<String, Object> input : List.of(
                Map.<String, Object>of("clientId", id("yk"), "name", "Yukon's", "roles", List.of("PARTNER"),
                        "partnership", yukon.getSlug()),
                Map.<String, Object>of("clientId", id("fund"), "name", "A funder", "roles", List.of("FUNDER")))) {
            JsonNode refused = graphQl(coordinatorToken, "createClient", Map.of("input", input)).get("createClient");
            assertThat(refused.get("__typename").asString()).isEqualTo("NotAllowed");
        }
        assertThat(graphQl(coordinatorToken, "clients", Map.of("partnership", alberta.getSlug())).get("clients"))
                .hasSize(2);
        HttpResponse<String> others = post("/graphql", coordinatorToken, body("clients",
                Map.of("partnership", yukon.getSlug())));
        assertThat(json.readTree(others.body()).get("errors").get(0).get("extensions").get("classification")
                .asString()).isEqualTo("FORBIDDEN");
        // A coordinator may not publish its partnership's programs: it manages clients and connectors only.
        assertThat(graphQl(coordinatorToken, "revokeClient", Map.of("clientId", "demo-admin")).get("revokeClient")
                .get("__typename").asString()).isEqualTo("NotAllowed");
    }

    @Test
    void badClientInputIsNamedAndCreatesNothing() throws Exception {
        long before = jdbc.queryForObject("SELECT count(*) FROM api_client", Long.class);
        Map<String, Map<String, Object>> bad = new HashMap<>();
        bad.put("input.clientId", Map.of("clientId", "Bad Id!", "name", "x", "roles", List.of("FUNDER")));
        bad.put("input.name", Map.of("clientId", id("n"), "name", "tab\there", "roles", List.of("FUNDER")));
        bad.put("input.roles", Map.of("clientId", id("r"), "name", "no roles", "roles", List.of()));
        bad.put("input.partnership", Map.of("clientId", id("p"), "name", "partner", "roles", List.of("PARTNER")));
        for (Map.Entry<String, Map<String, Object>> each : bad.entrySet()) {
            JsonNode answer = graphQl(admin, "createClient", Map.of("input", each.getValue())).get("createClient");
            assertThat(answer.get("__typename").asString()).as(each.getKey()).isEqualTo("InvalidClient");
            assertThat(answer.get("field").asString()).isEqualTo(each.getKey());
        }
        JsonNode duplicate = graphQl(admin, "createClient", Map.of("input", Map.of("clientId", "demo-admin",
                "name", "again", "roles", List.of("ADMIN")))).get("createClient");
        assertThat(duplicate.get("field").asString()).isEqualTo("input.clientId");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_client", Long.class)).isEqualTo(before);
        assertThat(graphQl(admin, "revokeClient", Map.of("clientId", "nobody")).get("revokeClient")
                .get("__typename").asString()).isEqualTo("UnknownClient");
    }

    // --- HTTP helpers

    static String id(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    String body(String document, Map<String, Object> variables) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/graphql-test/" + document + ".graphql")) {
            return json.writeValueAsString(Map.of("query", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "variables", variables));
        }
    }

    JsonNode graphQl(String bearer, String document, Map<String, Object> variables) throws Exception {
        HttpResponse<String> response = post("/graphql", bearer, body(document, variables));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode tree = json.readTree(response.body());
        assertThat(tree.get("errors")).as(response.body()).isNull();
        return tree.get("data");
    }

    HttpResponse<String> post(String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith("/oauth2/")) {
            request.header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", bearer);
        } else {
            request.header("Content-Type", "application/json");
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String client, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> tokenResponse(String client, String secret) throws Exception {
        return post("/oauth2/token", basic(client, secret), "grant_type=client_credentials");
    }

    String token(String client, String secret) throws Exception {
        HttpResponse<String> response = tokenResponse(client, secret);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("access_token").asString();
    }

    JsonNode introspect(String client, String secret, String token) throws Exception {
        HttpResponse<String> response = post("/oauth2/introspect", basic(client, secret),
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
