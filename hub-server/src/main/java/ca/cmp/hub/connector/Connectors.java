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
            + "schedule, enabled, last_full_sync_at, last_success_at, next_run_at, created_at";

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

    /** Enabled, scheduled connectors whose next run time has come. */
    List<UUID> due() {
        return jdbc.sql("""
                SELECT id FROM connector WHERE enabled AND schedule IS NOT NULL AND next_run_at <= now()
                ORDER BY next_run_at LIMIT 100""").query(UUID.class).list();
    }

    boolean nameTaken(UUID partnershipId, String name, UUID except) {
        return jdbc.sql("SELECT count(*) FROM connector WHERE partnership_id = ? AND name = ? AND id <> ?")
                .params(partnershipId, name, except == null ? new UUID(0, 0) : except).query(Long.class).single() > 0;
    }

    void insert(ConnectorDefinition c) {
        jdbc.sql("""
                INSERT INTO connector (id, partnership_id, name, kind, location, mapping, schedule, enabled,
                                       next_run_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(c.id(), c.partnershipId(), c.name(), c.kind().name(), c.location(), json(c.mapping()),
                        c.schedule(), c.enabled(), timestamp(c.nextRunAt()))
                .update();
    }

    void update(ConnectorDefinition c) {
        jdbc.sql("""
                UPDATE connector SET name = ?, kind = ?, location = ?, mapping = ?::jsonb, schedule = ?, enabled = ?,
                  next_run_at = ?, updated_at = now() WHERE id = ?""")
                .params(c.name(), c.kind().name(), c.location(), json(c.mapping()), c.schedule(), c.enabled(),
                        timestamp(c.nextRunAt()), c.id())
                .update();
    }

    /** After a run: success times, and the next due time for scheduled connectors. */
    void ran(UUID id, boolean succeeded, boolean full, Instant nextRunAt) {
        jdbc.sql("""
                UPDATE connector SET
                  last_success_at = CASE WHEN :ok THEN now() ELSE last_success_at END,
                  last_full_sync_at = CASE WHEN :ok AND :full THEN now() ELSE last_full_sync_at END,
                  next_run_at = :next
                WHERE id = :id""").param("ok", succeeded).param("full", full).param("next", timestamp(nextRunAt))
                .param("id", id).update();
    }

    private static ConnectorDefinition row(ResultSet rs, int n) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, Object> mapping = JSON.readValue(rs.getString("mapping"), Map.class);
        return new ConnectorDefinition(rs.getObject("id", UUID.class), rs.getObject("partnership_id", UUID.class),
                rs.getString("name"), ConnectorKind.valueOf(rs.getString("kind")), rs.getString("location"), mapping,
                rs.getString("schedule"), rs.getBoolean("enabled"), instant(rs.getTimestamp("last_full_sync_at")),
                instant(rs.getTimestamp("last_success_at")), instant(rs.getTimestamp("next_run_at")),
                instant(rs.getTimestamp("created_at")));
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
