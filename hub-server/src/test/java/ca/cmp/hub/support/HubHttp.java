package ca.cmp.hub.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub over plain HTTP, as an outside caller meets it: raw bodies to /graphql, any path, and tokens of the
 * configured demo clients from POST /oauth2/token (client credentials), one per role, fetched once.
 */
public final class HubHttp {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> SECRETS = Map.of("partner", "demo-partner:demo-partner-secret",
            "funder", "demo-funder:demo-funder-secret", "planner", "demo-planner:demo-planner-secret",
            "admin", "demo-admin:demo-admin-secret");

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public HubHttp(int port) {
        this.port = port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A bearer token for a caller role (partner, funder, planner, admin); null for anonymous. */
    public String token(String caller) {
        if (caller == null || caller.equals("anonymous")) {
            return null;
        }
        return tokens.computeIfAbsent(caller, role -> {
            String credentials = SECRETS.get(role);
            if (credentials == null) {
                throw new IllegalArgumentException("no demo client for caller " + role);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                credentials.getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=hub")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("token for " + role + ": " + response.body());
                }
                return JSON.readTree(response.body()).get("access_token").asString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public HttpResponse<String> post(String caller, String body) throws Exception {
        return post(caller, "/graphql", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String caller, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String token = token(caller);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String caller, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        String token = token(caller);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GraphQL request body: {"query": …, "variables": …}. */
    public static String body(String query, Map<String, ?> variables) {
        return JSON.writeValueAsString(variables == null ? Map.of("query", query)
                : Map.of("query", query, "variables", variables));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
