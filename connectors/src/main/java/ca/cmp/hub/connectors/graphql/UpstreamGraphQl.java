package ca.cmp.hub.connectors.graphql;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.net.SourceFetcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One read's conversation with a GraphQL endpoint: each request POSTed through the {@link SourceFetcher} (so the
 * SSRF guard applies to every one), authorised with a bearer token from the client's token endpoint when there
 * are credentials (fetched again once if the endpoint refuses it), and every message that quotes the endpoint's
 * answer redacted of the client's secret. An answer with GraphQL {@code errors} fails the read.
 */
final class UpstreamGraphQl {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final SourceFetcher fetcher;
    private final ClientCredentials credentials;
    private final UpstreamToken token;

    /** @param credentials the client, or null to ask anonymously */
    UpstreamGraphQl(URI endpoint, ClientCredentials credentials, SourceFetcher fetcher) {
        this.endpoint = endpoint;
        this.fetcher = fetcher;
        this.credentials = credentials;
        this.token = new UpstreamToken(credentials, fetcher);
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * One GraphQL request; the whole answer ({@code data} and all). An answer with errors fails the read, naming
     * the first (and where in the answer it is, when the endpoint says).
     *
     * @param what the request, for messages ("page 3")
     */
    JsonNode ask(String document, Map<String, Object> variables, String what) throws ConnectorException {
        byte[] body = JSON.writeValueAsBytes(Map.of("query", document, "variables", variables));
        byte[] answer;
        try {
            answer = post(body);
        } catch (SourceFetcher.UnexpectedStatus e) {
            if (e.status() != 401 || !token.authenticates()) {
                throw redacted(e);
            }
            // The token expired mid-read, or the client was rotated: one new token, one more try.
            token.refused();
            try {
                answer = post(body);
            } catch (ConnectorException again) {
                throw redacted(again);
            }
        } catch (ConnectorException e) {
            throw redacted(e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(new String(answer, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new ConnectorException(endpoint + " " + what + " did not return valid JSON: "
                    + e.getOriginalMessage(), false, e);
        }
        JsonNode errors = json.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            JsonNode path = first.path("path");
            String message = endpoint + " " + what + " answered an error"
                    + (errors.size() > 1 ? " (the first of " + errors.size() + ")" : "") + ": "
                    + first.path("message").asString("")
                    + (path.isArray() && !path.isEmpty() ? " (at " + path + ")" : "");
            throw new ConnectorException(redact(message), false);
        }
        return json;
    }

    private byte[] post(byte[] body) throws ConnectorException {
        return fetcher.post(endpoint, "application/json", body, token.header());
    }

    private String redact(String message) {
        return credentials == null ? message : credentials.redact(message);
    }

    private ConnectorException redacted(ConnectorException e) {
        String message = redact(e.getMessage());
        return message.equals(e.getMessage()) ? e : new ConnectorException(message, e.isTransient());
    }
}
