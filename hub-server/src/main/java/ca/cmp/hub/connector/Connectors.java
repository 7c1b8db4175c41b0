package ca.cmp.hub.connector;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.model.ConnectorKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The connector table: registrations, their schedule state and sync bookkeeping. */
@Component
class Connectors {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, partnership_id, name, kind, location, mapping::text AS mapping, "
            + "schedule, enabled, last_full_sync_at, last_success_at, changes_read_until, next_run_at, created_at, "
            + "client_id, token_url, client_secret_sealed";

    private final JdbcClient jdbc;

    Connectors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ConnectorDefinition> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connector WHERE id = ?").param(id).query(Connectors::row)
                .optional();
    }

    List<ConnectorDefinition> ofPartnership(UUID partnershipId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM connector WHERE partnership_id = ? ORDER BY name")
                .param(partnershipId).query(Connectors::row).list();
    }

    List<ConnectorDefinition> byIds(List<UUID> ids) {
        return ids.isEmpty() ? List.of() : jdbc.sql("SELECT " + COLUMNS + " FROM connector WHERE id IN (:ids)")
                .param("ids", ids).query(Connectors::row).list();
    }

    /** Enabled, scheduled connectors whose next run time has come, of partnerships not retired. */
    List<UUID> due() {
        return jdbc.sql("""
                SELECT c.id FROM connector c JOIN partnership r ON r.id = c.partnership_id
                WHERE c.enabled AND c.schedule IS NOT NULL AND c.next_run_at <= now() AND r.retired_at IS NULL
                ORDER BY c.next_run_at LIMIT 100""").query(UUID.class).list();
    }

    /** Stops its schedule; the registration and its runs stay. */
    void disable(UUID id) {
        jdbc.sql("UPDATE connector SET enabled = false, next_run_at = NULL, updated_at = now() WHERE id = ?")
                .param(id).update();
    }

    /**
     * Removes the registration. Its runs stay and keep its id (sync_run has no key on it); its programs keep their
     * provenance, and the database clears their link to it.
     */
    void delete(UUID id) {
        jdbc.sql("DELETE FROM connector WHERE id = ?").param(id).update();
    }

    boolean nameTaken(UUID partnershipId, String name, UUID except) {
        return jdbc.sql("SELECT count(*) FROM connector WHERE partnership_id = ? AND name = ? AND id <> ?")
                .params(partnershipId, name, except == null ? new UUID(0, 0) : except).query(Long.class).single() > 0;
    }

    void insert(ConnectorDefinition c) {
        jdbc.sql("""
                INSERT INTO connector (id, partnership_id, name, kind, location, mapping, schedule, enabled,
                                       next_run_at, client_id, token_url, client_secret_sealed)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""")
                .params(c.id(), c.partnershipId(), c.name(), c.kind().name(), c.location(), json(c.mapping()),
                        c.schedule(), c.enabled(), timestamp(c.nextRunAt()), clientId(c), tokenUrl(c), sealed(c))
                .update();
    }

    void update(ConnectorDefinition c) {
        jdbc.sql("""
                UPDATE connector SET name = ?, kind = ?, location = ?, mapping = ?::jsonb, schedule = ?, enabled = ?,
                  next_run_at = ?, client_id = ?, token_url = ?, client_secret_sealed = ?, updated_at = now()
                WHERE id = ?""")
                .params(c.name(), c.kind().name(), c.location(), json(c.mapping()), c.schedule(), c.enabled(),
                        timestamp(c.nextRunAt()), clientId(c), tokenUrl(c), sealed(c), c.id())
                .update();
    }

    private static String clientId(ConnectorDefinition c) {
        return c.credentials() == null ? null : c.credentials().clientId();
    }

    private static String tokenUrl(ConnectorDefinition c) {
        return c.credentials() == null ? null : c.credentials().tokenUrl();
    }

    private static byte[] sealed(ConnectorDefinition c) {
        return c.credentials() == null ? null : c.credentials().sealedSecret();
    }

    /** A scheduled slot is taken: the next due time moves on before the run starts, so no instance runs it twice. */
    void claimed(UUID id, Instant nextRunAt) {
        jdbc.sql("UPDATE connector SET next_run_at = ? WHERE id = ?").params(timestamp(nextRunAt), id).update();
    }

    /**
     * After a run, once: success times, and the watermark of what upstream changes are read.
     *
     * @param changesReadUntil the succeeded run's start; changes upstream from then on are read next time
     */
    void ran(UUID id, boolean succeeded, boolean full, Instant changesReadUntil) {
        jdbc.sql("""
                UPDATE connector SET
                  last_success_at = CASE WHEN :ok THEN now() ELSE last_success_at END,
                  last_full_sync_at = CASE WHEN :ok AND :full THEN now() ELSE last_full_sync_at END,
                  changes_read_until = CASE WHEN :ok THEN :until ELSE changes_read_until END
                WHERE id = :id""").param("ok", succeeded).param("full", full)
                .param("until", timestamp(changesReadUntil)).param("id", id).update();
    }

    /** Runs that ended without an outcome are due again at once, for whichever instance looks first. */
    void dueAgain(List<UUID> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE connector SET next_run_at = now() WHERE id IN (:ids) AND enabled AND schedule IS NOT NULL")
                    .param("ids", ids).update();
        }
    }

    private static ConnectorDefinition row(ResultSet rs, int n) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, Object> mapping = JSON.readValue(rs.getString("mapping"), Map.class);
        return new ConnectorDefinition(rs.getObject("id", UUID.class), rs.getObject("partnership_id", UUID.class),
                rs.getString("name"), ConnectorKind.valueOf(rs.getString("kind")), rs.getString("location"), mapping,
                rs.getString("schedule"), rs.getBoolean("enabled"), instant(rs.getTimestamp("last_full_sync_at")),
                instant(rs.getTimestamp("last_success_at")), instant(rs.getTimestamp("changes_read_until")),
                instant(rs.getTimestamp("next_run_at")),
                instant(rs.getTimestamp("created_at")),
                rs.getString("client_id") == null ? null : new ConnectorDefinition.Credentials(
                        rs.getString("client_id"), rs.getString("token_url"), rs.getBytes("client_secret_sealed")));
    }

    private static String json(Map<String, Object> mapping) {
        return JSON.writeValueAsString(mapping == null ? Map.of() : mapping);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
