package ca.cmp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The hub as a client meets it: plain HTTP to /graphql, /graphiql and /actuator/health on a real port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class HttpEndpointsTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nearQueryOverHttpReturnsProgramsByDistance() throws Exception {
        Partnership p = fixtures.partnership("HTTP test partnership");
        fixtures.save(fixtures.program(p, "Far", 43.70, -79.40, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")));
        fixtures.save(fixtures.program(p, "Near", 43.655, -79.385, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")));
        HttpResponse<String> response = post("""
                {"query": "query($p: [ID!]) { programs(filter: {partnership: $p, near: {latitude: 43.6534, longitude: -79.3841, radiusKm: 25}}) { edges { distanceKm node { name } } } }",
                 "variables": {"p": ["%s"]}}""".formatted(p.getId()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("errors");
        assertThat(response.body().indexOf("\"Near\"")).isPositive().isLessThan(response.body().indexOf("\"Far\""));
    }

    @Test
    void malformedRequestsLeakNoInternals() throws Exception {
        HttpResponse<String> syntax = post("{\"query\": \"{ programs(filter: { near: } }\"}");
        assertThat(syntax.body()).contains("InvalidSyntax").doesNotContain("Exception").doesNotContain("at ca.cmp");
        HttpResponse<String> notJson = post("{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void graphiqlAndHealthAreServed() throws Exception {
        HttpResponse<String> graphiql = get("/graphiql");
        assertThat(graphiql.statusCode()).isEqualTo(200);
        assertThat(graphiql.body()).containsIgnoringCase("graphiql");
    }

    @Test
    void healthShowsItsStatusToEveryoneAndItsDetailsToAdministratorsOnly() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}");
        for (String client : List.of("demo-funder", "demo-planner")) {
            HttpResponse<String> other = get("/actuator/health", token(client));
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).as(client).contains("\"status\":\"UP\"").doesNotContain("\"db\"")
                    .doesNotContain("diskSpace").doesNotContain("version");
        }
        HttpResponse<String> admin = get("/actuator/health", token("demo-admin"));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"status\":\"UP\"").contains("\"db\"").contains("\"redis\"")
                .contains("diskSpace");
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    String token(String client) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((client + ":" + client + "-secret").getBytes());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=hub")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"")
                .matcher(response.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
