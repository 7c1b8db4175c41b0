package ca.cmp.hub.security;

import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * What the issuer's revocation and introspection endpoints know of a token, taken from the token itself (it is a
 * signed JWT): nothing is stored per issued token, only the ids of tokens revoked before their expiry, so every
 * hub instance answers alike. A client sees only its own tokens: another client's token is unknown to it, so
 * introspection says {@code active: false} and revocation does nothing.
 */
final class IssuedTokens implements OAuth2AuthorizationService {

    private final JwtDecoder decoder;
    private final RegisteredClientRepository registered;
    private final ApiClients clients;

    IssuedTokens(JwtDecoder decoder, RegisteredClientRepository registered, ApiClients clients) {
        this.decoder = decoder;
        this.registered = registered;
        this.clients = clients;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        // Issuing stores nothing; a revoked access token is listed until its expiry.
        OAuth2Authorization.Token<OAuth2AccessToken> token = authorization.getAccessToken();
        if (token != null && token.isInvalidated()) {
            Object jti = token.getClaims() == null ? null : token.getClaims().get("jti");
            if (jti != null && token.getToken().getExpiresAt() != null) {
                clients.revokeToken(jti.toString(), authorization.getPrincipalName(),
                        token.getToken().getExpiresAt());
            }
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        save(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
            return null;
        }
        Jwt jwt;
        try {
            // Checks the signature, issuer, audience, expiry and that the client and token were not revoked.
            jwt = decoder.decode(token);
        } catch (JwtException invalid) {
            return null;
        }
        RegisteredClient client = registered.findByClientId(jwt.getSubject());
        if (client == null || !client.getClientId().equals(requestingClient())) {
            return null;
        }
        OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token,
                jwt.getIssuedAt(), jwt.getExpiresAt(), Set.of("hub"));
        return OAuth2Authorization.withRegisteredClient(client)
                .id(jwt.getId() == null ? token : jwt.getId())
                .principalName(client.getClientId())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .token(access, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        jwt.getClaims()))
                .build();
    }

    private static String requestingClient() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null
                ? client.getRegisteredClient().getClientId() : null;
    }
}
