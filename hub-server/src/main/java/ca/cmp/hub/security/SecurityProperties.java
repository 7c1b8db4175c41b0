package ca.cmp.hub.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param issuer     the token issuer the hub accepts; for the embedded authorization server, the hub's own base URL
 * @param audience   the audience ({@code aud}) a token must carry to be accepted here
 * @param jwkSetUri  production: the JWK Set of an external OIDC issuer; blank: the hub issues and checks its own
 *                   tokens with the key in {@code keyFile}
 * @param keyFile    where the embedded issuer's RSA signing key is kept (created on first start; survives
 *                   restarts so issued tokens stay valid); blank: beside the embedded data directory
 * @param tokenTtl   lifetime of issued tokens, in minutes
 * @param clients    clients inserted at start-up unless present (their secrets are then stored as hashes; a client
 *                   rotated or revoked later stays so): the first administrator; all others are created through
 *                   GraphQL ({@code createClient})
 * @param failedSecrets how many failed client authentications the issuer takes per client id and per address
 */
@ConfigurationProperties("hub.security")
public record SecurityProperties(String issuer, String audience, String jwkSetUri, String keyFile, int tokenTtl,
        List<Client> clients, @DefaultValue FailedSecrets failedSecrets) {

    /**
     * @param perClient  failures per client id within {@code period} before it is refused (even with the right secret)
     * @param perAddress failures per client address within {@code period}
     * @param period     the window over which the buckets refill
     */
    public record FailedSecrets(@DefaultValue("10") int perClient, @DefaultValue("30") int perAddress,
            @DefaultValue("15m") Duration period) {
    }

    /** A machine client: its secret, its role and, for partners, the slug of its partnership. */
    public record Client(String id, String secret, Role role, String partnership) {
    }

    public boolean embeddedIssuer() {
        return jwkSetUri == null || jwkSetUri.isBlank();
    }
}
