package ca.cmp.hub.security;

import java.time.Duration;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The embedded issuer's clients, read from {@link ApiClients} on every token request, so that a client created,
 * rotated or revoked on one hub instance is so on all of them at once. A revoked client is unknown here.
 */
final class DatabaseClients implements RegisteredClientRepository {

    static final String ROLES = "hub.roles";
    static final String PARTNERSHIP = "hub.partnership";
    static final String GENERATION = "hub.generation";

    private final ApiClients clients;
    private final Duration tokenTtl;

    DatabaseClients(ApiClients clients, Duration tokenTtl) {
        this.clients = clients;
        this.tokenTtl = tokenTtl;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("API clients are created through GraphQL (createClient)");
    }

    @Override
    public RegisteredClient findById(String id) {
        try {
            return clients.find(UUID.fromString(id)).map(this::registered).orElse(null);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return clients.find(clientId).map(this::registered).orElse(null);
    }

    private RegisteredClient registered(ApiClients.ApiClient client) {
        if (client.revoked()) {
            return null;
        }
        String hash = clients.secretHash(client.clientId());
        return RegisteredClient.withId(client.id().toString())
                .clientId(client.clientId())
                .clientName(client.name())
                .clientSecret(hash)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("hub")
                .clientSettings(ClientSettings.builder()
                        .setting(ROLES, client.roles().stream().map(Role::name).sorted().toList())
                        .setting(PARTNERSHIP, client.partnershipSlug() == null ? "" : client.partnershipSlug())
                        .setting(GENERATION, client.generation()).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(tokenTtl).build())
                .build();
    }
}
