package ca.cmp.hub.connectors.graphql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.net.SourceFetcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bearer token from the upstream's token endpoint by the client-credentials grant (RFC 6749 4.4, the client
 * authenticated with HTTP Basic), fetched on first use and again when the upstream refuses it. Through the
 * {@link SourceFetcher}, so the token endpoint is guarded like any connector address.
 */
final class UpstreamToken {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ClientCredentials client;
    private final SourceFetcher fetcher;
    private String token;

    UpstreamToken(ClientCredentials client, SourceFetcher fetcher) {
        this.client = client;
        this.fetcher = fetcher;
    }

    /** The Authorization header to send, or none for an anonymous read. */
    Map<String, String> header() throws ConnectorException {
        if (client == null || client.secret() == null) {
            return Map.of();
        }
        if (token == null) {
            token = fetch();
        }
        return Map.of("Authorization", "Bearer " + token);
    }

    /** Forgets the token (the upstream refused it: expired, or the client was rotated). */
    void refused() {
        token = null;
    }

    boolean authenticates() {
        return client != null && client.secret() != null;
    }

    private String fetch() throws ConnectorException {
        String basic = Base64.getEncoder().encodeToString((form(client.clientId()) + ":" + form(client.secret()))
                .getBytes(StandardCharsets.UTF_8));
        byte[] body;
        try {
            body = fetcher.post(client.tokenUrl(), "application/x-www-form-urlencoded",
                    "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII),
                    Map.of("Authorization", "Basic " + basic));
        } catch (SourceFetcher.UnexpectedStatus e) {
            if (e.status() == 400 || e.status() == 401) {
                throw new ConnectorException("the token endpoint " + client.tokenUrl() + " refused client \""
                        + client.clientId() + "\" (HTTP " + e.status() + "): check its id and secret", false, e);
            }
            throw new ConnectorException(client.redact(e.getMessage()), e.isTransient(), e);
        }
        try {
            JsonNode answer = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            String value = answer.path("access_token").asString(null);
            if (value == null || value.isBlank()) {
                throw new ConnectorException("the token endpoint " + client.tokenUrl() + " answered without an "
                        + "access_token", false);
            }
            return value;
        } catch (JacksonException e) {
            throw new ConnectorException("the token endpoint " + client.tokenUrl() + " did not answer JSON", false);
        }
    }

    /** RFC 6749 2.3.1: id and secret are form-encoded before they are joined for Basic. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
