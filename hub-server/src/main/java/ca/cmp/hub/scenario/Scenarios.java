package ca.cmp.hub.scenario;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stored what-if scenarios (table {@code scenario}); the published programs are never touched. */
@Component
class Scenarios {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    enum Kind { ADD, MOVE, CLOSE, CAPACITY }

    record Change(Kind kind, String program, Double latitude, Double longitude, Double radiusKm, Integer minAge,
            Integer maxAge, Integer places) {
    }

    record Scenario(UUID id, String name, String createdBy, Instant createdAt, List<Change> changes) {
    }

    private final JdbcClient jdbc;

    Scenarios(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Scenario save(String name, List<Change> changes, String createdBy) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO scenario (id, name, changes, created_by) VALUES (?, ?, ?::jsonb, ?)")
                .params(id, name, JSON.writeValueAsString(changes), createdBy).update();
        return find(id).orElseThrow();
    }

    Optional<Scenario> find(UUID id) {
        return jdbc.sql("SELECT * FROM scenario WHERE id = ?").param(id).query(Scenarios::row).optional();
    }

    List<Scenario> all() {
        return jdbc.sql("SELECT * FROM scenario ORDER BY created_at DESC LIMIT 500").query(Scenarios::row).list();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM scenario WHERE id = ?").param(id).update() > 0;
    }

    private static Scenario row(ResultSet rs, int n) throws SQLException {
        return new Scenario(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                JSON.readValue(rs.getString("changes"), new TypeReference<List<Change>>() { }));
    }
}
