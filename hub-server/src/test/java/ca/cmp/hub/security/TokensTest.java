package ca.cmp.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tokens from the hub's own issuer are accepted; forged, expired, foreign or misdirected ones, and those of unknown
 * clients or earlier client generations, get 401. (Partner clients' tokens: ClientsTest.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TokensTest {

    @LocalServerPort
    int port;

    @Autowired
    JWKSource<SecurityContext> keys;

    @Autowired
    SecurityProperties properties;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    String token(String client, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=hub")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("access_token").asString();
    }

    HttpResponse<String> viewer(String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"query\": \"{ viewer { anonymous subject roles partnership } }\"}"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    JsonNode viewerOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("data").get("viewer");
    }

    @Test
    void anonymousCallersAreThePublic() throws Exception {
        JsonNode viewer = viewerOf(viewer(null));
        assertThat(viewer.get("anonymous").asBoolean()).isTrue();
        assertThat(viewer.get("roles")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo-funder", "demo-planner", "demo-admin"})
    void eachDemoClientGetsATokenWithItsRole(String client) throws Exception {
        JsonNode viewer = viewerOf(viewer(token(client, client + "-secret")));
        assertThat(viewer.get("anonymous").asBoolean()).isFalse();
        assertThat(viewer.get("subject").asString()).isEqualTo(client);
        String role = client.substring("demo-".length()).toUpperCase();
        assertThat(viewer.get("roles").get(0).asString()).isEqualTo(role);
        assertThat(viewer.get("partnership").isNull()).isTrue();
    }

    @Test
    void aWrongSecretGetsNoToken() throws Exception {
        String basic = Base64.getEncoder().encodeToString("demo-admin:guess".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    RSAKey hubKey() throws Exception {
        return (RSAKey) keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null).get(0);
    }

    String forge(RSAKey key, String issuer, String audience, Instant expires) throws Exception {
        return forge(key, issuer, audience, expires, "demo-admin", 1);
    }

    String forge(RSAKey key, String issuer, String audience, Instant expires, String client, int generation)
            throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(client).issuer(issuer).audience(audience)
                .issueTime(Date.from(Instant.now().minusSeconds(600))).expirationTime(Date.from(expires))
                .jwtID(java.util.UUID.randomUUID().toString()).claim("gen", generation)
                .claim("roles", List.of("ADMIN")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aTokenSignedByTheHubsKeyWithRightClaimsIsAccepted() throws Exception {
        // The control case for the rejections below: only the one thing each changes makes the difference.
        String good = forge(hubKey(), properties.issuer(), "cmp-hub", Instant.now().plusSeconds(300));
        assertThat(viewerOf(viewer(good)).get("roles").get(0).asString()).isEqualTo("ADMIN");
    }

    @Test
    void badTokensAreRejectedWith401() throws Exception {
        Instant later = Instant.now().plusSeconds(300);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(hubKey().getKeyID()).generate();
        Map<String, String> bad = Map.of(
                "wrong issuer", forge(hubKey(), "https://evil.example", "cmp-hub", later),
                "wrong audience", forge(hubKey(), properties.issuer(), "another-api", later),
                "expired", forge(hubKey(), properties.issuer(), "cmp-hub", Instant.now().minusSeconds(300)),
                "bad signature", forge(stranger, properties.issuer(), "cmp-hub", later),
                "no such client", forge(hubKey(), properties.issuer(), "cmp-hub", later, "mallory", 1),
                "an earlier generation of the client", forge(hubKey(), properties.issuer(), "cmp-hub", later,
                        "demo-admin", 0),
                "garbage", "not.a.token");
        for (Map.Entry<String, String> token : bad.entrySet()) {
            HttpResponse<String> response = viewer(token.getValue());
            assertThat(response.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(token.getKey()).get()
                    .asString().contains("invalid_token");
        }
    }
}
