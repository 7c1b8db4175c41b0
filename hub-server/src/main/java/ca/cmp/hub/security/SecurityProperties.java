package ca.cmp.hub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param issuer     the token issuer the hub accepts; for the embedded authorization server, the hub's own base URL
 * @param audience   the audience ({@code aud}) a token must carry to be accepted here
 * @param jwkSetUri  production: the JWK Set of an external OIDC issuer; blank: the hub issues and checks its own
 *                   tokens with the key in {@code keyFile}
 * @param keyFile    where the embedded issuer's RSA signing key is kept (created on first start; survives
 *                   restarts so issued tokens stay valid); blank: beside the embedded data directory
 * @param tokenTtl   lifetime of issued tokens, in minutes
 * @param clients    clients of the embedded issuer (client-credentials grant)
 */
@ConfigurationProperties("hub.security")
public record SecurityProperties(String issuer, String audience, String jwkSetUri, String keyFile, int tokenTtl,
        List<Client> clients) {

    /** A machine client: its secret, its role and, for partners, the slug of its partnership. */
    public record Client(String id, String secret, Role role, String partnership) {
    }

    public boolean embeddedIssuer() {
        return jwkSetUri == null || jwkSetUri.isBlank();
    }
}
