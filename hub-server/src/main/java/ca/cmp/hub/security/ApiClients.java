package ca.cmp.hub.security;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The API clients the embedded issuer knows (table {@code api_client}): their roles, partnership and token
 * generation, and secrets stored only as hashes (Spring Security's delegating encoder, bcrypt). A new or rotated
 * secret is returned once and never stored in the clear.
 */
@Component
public class ApiClients {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    ApiClients(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param partnershipSlug the partnership of partner and coordinator clients (null for the others)
     * @param generation      carried by each token; a rotation or revocation bumps it
     */
    public record ApiClient(UUID id, String clientId, String name, Set<Role> roles, UUID partnershipId,
            String partnershipSlug, int generation, Instant createdAt, String createdBy, Instant secretChangedAt,
            Instant revokedAt) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** A client with its secret in the clear: what creation and rotation answer, once. */
    public record Credentials(ApiClient client, String secret) {
    }

    public Optional<ApiClient> find(String clientId) {
        return jdbc.sql(SELECT + " WHERE c.client_id = :id").param("id", clientId).query(ApiClients::map).optional();
    }

    Optional<ApiClient> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE c.id = :id").param("id", id).query(ApiClients::map).optional();
    }

    /** Every client, or a partnership's, newest first. */
    public List<ApiClient> list(UUID partnershipId) {
        return partnershipId == null ? jdbc.sql(SELECT + " ORDER BY c.created_at DESC").query(ApiClients::map).list()
                : jdbc.sql(SELECT + " WHERE c.partnership_id = :p ORDER BY c.created_at DESC")
                        .param("p", partnershipId).query(ApiClients::map).list();
    }

    /** A new client with a generated secret. The caller has checked the id's form, roles and partnership. */
    public Credentials create(String clientId, String name, Set<Role> roles, UUID partnershipId, String createdBy) {
        String secret = newSecret();
        jdbc.sql("""
                INSERT INTO api_client (client_id, name, secret_hash, roles, partnership_id, created_by)
                VALUES (:id, :name, :hash, :roles::text[], :partnership, :by)""")
                .param("id", clientId).param("name", name).param("hash", encoder.encode(secret))
                .param("roles", roles.stream().map(Role::name).toArray(String[]::new))
                .param("partnership", partnershipId).param("by", createdBy).update();
        return new Credentials(find(clientId).orElseThrow(), secret);
    }

    /** A new secret; every token issued before it is refused from the next request on. */
    public Credentials rotate(String clientId) {
        String secret = newSecret();
        jdbc.sql("""
                UPDATE api_client SET secret_hash = :hash, generation = generation + 1, secret_changed_at = now()
                WHERE client_id = :id""").param("hash", encoder.encode(secret)).param("id", clientId).update();
        return new Credentials(find(clientId).orElseThrow(), secret);
    }

    /** Revoked for good: no new token, and its tokens are refused from the next request on. */
    public ApiClient revoke(String clientId, String revokedBy) {
        jdbc.sql("""
                UPDATE api_client SET generation = generation + 1, revoked_at = coalesce(revoked_at, now()),
                       revoked_by = coalesce(revoked_by, :by)
                WHERE client_id = :id""").param("by", revokedBy).param("id", clientId).update();
        return find(clientId).orElseThrow();
    }

    /**
     * Inserts a client with a given secret unless one with its id exists, so a restart never overwrites a rotated
     * secret: for the first administrator ({@code hub.security.clients}) and the demo's clients only.
     *
     * @return whether it was inserted
     */
    public boolean ensure(SecurityProperties.Client client) {
        return jdbc.sql("""
                INSERT INTO api_client (client_id, name, secret_hash, roles, partnership_id, created_by)
                SELECT :id, :id, :hash, ARRAY[:role]::text[], (SELECT id FROM partnership WHERE slug = :slug),
                       'hub.security.clients'
                WHERE NOT EXISTS (SELECT 1 FROM api_client WHERE client_id = :id)""")
                .param("id", client.id()).param("hash", encoder.encode(client.secret()))
                .param("role", client.role().name()).param("slug", client.partnership()).update() == 1;
    }


    /**
     * Whether a token of this client, of this generation and id, may still be used: the client exists, is not
     * revoked, has not rotated since, and the token itself was not revoked. One indexed look-up per request.
     */
    boolean tokenStillValid(String clientId, int generation, String jti) {
        return jdbc.sql("""
                SELECT count(*) FROM api_client c
                WHERE c.client_id = :id AND c.revoked_at IS NULL AND c.generation = :generation
                  AND NOT EXISTS (SELECT 1 FROM revoked_token t WHERE t.jti = :jti)""")
                .param("id", clientId).param("generation", generation).param("jti", jti == null ? "" : jti)
                .query(Integer.class).single() == 1;
    }

    /** The stored hash of a client's secret (the issuer compares a presented secret with it). */
    String secretHash(String clientId) {
        return jdbc.sql("SELECT secret_hash FROM api_client WHERE client_id = :id").param("id", clientId)
                .query(String.class).single();
    }

    /** Lists one token as revoked until its expiry, and forgets tokens that have expired anyway. */
    void revokeToken(String jti, String clientId, Instant expiresAt) {
        jdbc.sql("DELETE FROM revoked_token WHERE expires_at < now()").update();
        jdbc.sql("""
                INSERT INTO revoked_token (jti, client_id, expires_at) VALUES (:jti, :client, :expires)
                ON CONFLICT (jti) DO NOTHING""").param("jti", jti).param("client", clientId)
                .param("expires", Timestamp.from(expiresAt)).update();
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cmp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final String SELECT = """
            SELECT c.*, p.slug AS partnership_slug FROM api_client c LEFT JOIN partnership p ON p.id = c.partnership_id
            """;

    private static ApiClient map(ResultSet rs, int n) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Array array = rs.getArray("roles");
        for (String role : (String[]) array.getArray()) {
            roles.add(Role.valueOf(role));
        }
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiClient(rs.getObject("id", UUID.class), rs.getString("client_id"), rs.getString("name"),
                roles, rs.getObject("partnership_id", UUID.class), rs.getString("partnership_slug"),
                rs.getInt("generation"), rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"),
                rs.getTimestamp("secret_changed_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
