package ca.cmp.hub.connectors.graphql;

import java.net.URI;

/**
 * An OAuth2 client of an upstream hub: its token endpoint, id and secret (opened for one run; never in a message,
 * a log or {@link #toString()}).
 *
 * @param secret null for a client without one (the read is then anonymous)
 */
public record ClientCredentials(URI tokenUrl, String clientId, String secret) {

    /** The text with the secret, wherever it occurs, replaced: for messages built from upstream answers. */
    String redact(String text) {
        return secret == null || secret.isEmpty() || text == null ? text : text.replace(secret, "[redacted]");
    }

    @Override
    public String toString() {
        return "ClientCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", secret=[redacted]]";
    }
}
