package ca.cmp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * What operators and orchestrators call over HTTP: the Prometheus scrape (administrators only) with the hub's
 * own meters, and the liveness and readiness probe groups that deploy/k8s points at.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ActuatorEndpointsTest {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> graphql(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String token(String client) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + client + "-secret")
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("access_token").asString();
    }

    /** The value of the first sample of {@code metric} whose labels include all of {@code labels}, or null. */
    static Double sample(String scrape, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    @Test
    void anAdministratorScrapesRequestsByOperationAndOutcome() throws Exception {
        String admin = token("demo-admin");
        String before = get("/actuator/prometheus", admin).body();
        Double earlier = sample(before, "graphql_request_seconds_count", "graphql_operation_name=\"MetricsProbe\"",
                "graphql_outcome=\"SUCCESS\"");

        HttpResponse<String> answer = graphql(
                "{\"query\": \"query MetricsProbe { viewer { anonymous } }\", \"operationName\": \"MetricsProbe\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"anonymous\":true");
        graphql("{\"query\": \"query BrokenProbe { noSuchField }\", \"operationName\": \"BrokenProbe\"}");

        HttpResponse<String> scrape = get("/actuator/prometheus", admin);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = scrape.body();
        assertThat(sample(text, "graphql_request_seconds_count", "graphql_operation_name=\"MetricsProbe\"",
                "graphql_outcome=\"SUCCESS\"")).isEqualTo((earlier == null ? 0 : earlier) + 1);
        assertThat(sample(text, "graphql_request_seconds_count", "graphql_operation_name=\"BrokenProbe\"",
                "graphql_outcome=\"REQUEST_ERROR\"")).isNotNull();
        // A latency histogram per operation, from which Prometheus computes any percentile.
        assertThat(sample(text, "graphql_request_seconds_bucket", "graphql_operation_name=\"MetricsProbe\"",
                "le=\"+Inf\"")).isGreaterThanOrEqualTo(1);
        assertThat(sample(text, "hikaricp_connections_max", "pool=")).isPositive();
        assertThat(text).containsPattern("(?m)^hub_redis_up(\\{[^}]*\\})? 1\\.0$")
                .contains("hub_ratelimit_refused_total").contains("hub_connector_failures_total");
    }

    @Test
    void thePublicIsAskedToAuthenticate() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("graphql_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo-funder", "demo-planner"})
    void otherRolesAreRefused(String client) throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", token(client));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("graphql_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health/liveness", "/actuator/health/readiness"})
    void probeGroupsAnswer(String path) throws Exception {
        HttpResponse<String> response = get(path, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("status").asString()).isEqualTo("UP");
    }
}
