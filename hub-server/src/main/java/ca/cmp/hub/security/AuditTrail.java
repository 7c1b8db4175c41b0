package ca.cmp.hub.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the audit trail, newest first, a page at a time (keyset on the event id, which only grows). */
@Component
class AuditTrail {

    record Event(long id, Instant at, String actor, String roles, String operation, String target,
            String partnership, String outcome, String detail) {
    }

    /** Every condition optional; {@code before}: only events older than this id (the previous page's last). */
    record Query(String actor, String partnership, String operation, String outcome, Instant since, Instant until,
            Long before) {
    }

    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Event> page(Query q, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, at, subject, roles, action, target, partnership, outcome, detail FROM audit_event
                WHERE TRUE""");
        Map<String, Object> params = new LinkedHashMap<>();
        condition(sql, params, "subject = :actor", "actor", q.actor());
        condition(sql, params, "partnership = :partnership", "partnership", q.partnership());
        condition(sql, params, "action = :operation", "operation", q.operation());
        condition(sql, params, "outcome = :outcome", "outcome", q.outcome());
        condition(sql, params, "at >= :since", "since", q.since() == null ? null : Timestamp.from(q.since()));
        condition(sql, params, "at < :until", "until", q.until() == null ? null : Timestamp.from(q.until()));
        condition(sql, params, "id < :before", "before", q.before());
        sql.append(" ORDER BY id DESC LIMIT :limit");
        params.put("limit", limit);
        List<Event> events = new ArrayList<>();
        jdbc.sql(sql.toString()).params(params).query((java.sql.ResultSet rs) -> {
            events.add(new Event(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("subject"),
                    rs.getString("roles"), rs.getString("action"), rs.getString("target"),
                    rs.getString("partnership"), rs.getString("outcome"), rs.getString("detail")));
        });
        return events;
    }

    private static void condition(StringBuilder sql, Map<String, Object> params, String condition, String name,
            Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.put(name, value);
        }
    }
}
