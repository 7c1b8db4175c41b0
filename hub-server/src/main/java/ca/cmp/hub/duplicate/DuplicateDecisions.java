package ca.cmp.hub.duplicate;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.security.AccessAudit;
import ca.cmp.hub.security.CurrentCaller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Planners' decisions on groups of programs (tables {@code duplicate_group}, {@code duplicate_member}), keyed by
 * program ids, so a re-sync, which keeps a program's id, keeps them. A program is in at most one decided group: a
 * decision takes its programs out of earlier groups, and an earlier group left with one program is dropped.
 */
@Component
class DuplicateDecisions {

    /**
     * A decided group.
     *
     * @param programIds  its programs, smallest id (PostgreSQL's order) first
     * @param partnerships the partnerships of its programs
     * @param counted     for a CONFIRMED group, the ACTIVE member analyses count (the most recently verified or
     *                    changed, then the smallest id); null when none is ACTIVE, and for DISMISSED groups
     */
    record Decided(UUID id, DuplicateStatus status, List<UUID> programIds, Set<UUID> partnerships, UUID counted,
            String decidedBy, Instant decidedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final DataVersion dataVersion;
    private final AccessAudit audit;

    DuplicateDecisions(JdbcClient jdbc, TransactionTemplate transaction, DataVersion dataVersion, AccessAudit audit) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.dataVersion = dataVersion;
        this.audit = audit;
    }

    /** Which of these ids name no program. */
    Set<UUID> unknown(List<UUID> ids) {
        Set<UUID> known = Set.copyOf(jdbc.sql("SELECT id FROM program WHERE id = ANY(CAST(:ids AS uuid[]))")
                .param("ids", strings(ids)).query(UUID.class).list());
        return ids.stream().filter(id -> !known.contains(id)).collect(Collectors.toSet());
    }

    /**
     * Records a decision on these programs (at least two, all existing), audited, and moves the data version on:
     * a confirmation changes what analyses count, and so may a dismissal that takes programs out of one.
     *
     * @return the new group's id
     */
    UUID decide(DuplicateStatus status, List<UUID> programIds, CurrentCaller caller, String action) {
        if (status == DuplicateStatus.CANDIDATE || programIds.size() < 2) {
            throw new IllegalArgumentException("a decision confirms or dismisses two programs or more");
        }
        UUID id = UUID.randomUUID();
        transaction.executeWithoutResult(tx -> {
            String[] ids = strings(programIds);
            // Serializes decisions on the same programs (the other waits, then replaces this one).
            jdbc.sql("SELECT id FROM program WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE")
                    .param("ids", ids).query(UUID.class).list();
            List<UUID> earlier = jdbc.sql("""
                    DELETE FROM duplicate_member WHERE program_id = ANY(CAST(:ids AS uuid[])) RETURNING group_id""")
                    .param("ids", ids).query(UUID.class).list();
            if (!earlier.isEmpty()) {
                String[] groups = strings(earlier.stream().distinct().toList());
                // Two decisions taking different programs out of one group: the second counts after the first
                // commits (the lock, then a statement of its own sees it), so a group is never left with one.
                jdbc.sql("SELECT id FROM duplicate_group WHERE id = ANY(CAST(:groups AS uuid[])) ORDER BY id FOR UPDATE")
                        .param("groups", groups).query(UUID.class).list();
                jdbc.sql("""
                        DELETE FROM duplicate_group g WHERE g.id = ANY(CAST(:groups AS uuid[]))
                          AND (SELECT count(*) FROM duplicate_member m WHERE m.group_id = g.id) < 2""")
                        .param("groups", groups).update();
            }
            jdbc.sql("INSERT INTO duplicate_group (id, status, decided_by) VALUES (:id, :status, :by)")
                    .param("id", id).param("status", status.name()).param("by", caller.subject()).update();
            jdbc.sql("""
                    INSERT INTO duplicate_member (program_id, group_id)
                    SELECT unnest(CAST(:ids AS uuid[])), :id""").param("ids", ids).param("id", id).update();
            dataVersion.bump();
            audit.succeeded(caller, action, "duplicate-group:" + id, null,
                    status.name().toLowerCase() + " " + programIds.size() + " programs");
        });
        return id;
    }

    /** Every decided group, by smallest program id. */
    List<Decided> all() {
        Map<UUID, Decided> groups = new LinkedHashMap<>();
        jdbc.sql("""
                SELECT g.id, g.status, g.decided_by, g.decided_at, m.program_id, p.partnership_id,
                       CASE WHEN g.status = 'CONFIRMED' THEN
                         (SELECT c.program_id FROM duplicate_member c JOIN program cp ON cp.id = c.program_id
                          WHERE c.group_id = g.id AND cp.status = 'ACTIVE'
                          ORDER BY greatest(cp.last_verified_at, cp.last_changed_at) DESC, cp.id LIMIT 1)
                       END AS counted,
                       min(m.program_id::text) OVER (PARTITION BY g.id) AS key
                FROM duplicate_group g
                JOIN duplicate_member m ON m.group_id = g.id
                JOIN program p ON p.id = m.program_id
                ORDER BY key, m.program_id""").query((ResultSet rs) -> {
            UUID id = rs.getObject("id", UUID.class);
            Decided group = groups.get(id);
            if (group == null) {
                group = new Decided(id, DuplicateStatus.valueOf(rs.getString("status")), new ArrayList<>(),
                        new HashSet<>(), rs.getObject("counted", UUID.class), rs.getString("decided_by"),
                        rs.getTimestamp("decided_at").toInstant());
                groups.put(id, group);
            }
            group.programIds().add(rs.getObject("program_id", UUID.class));
            group.partnerships().add(rs.getObject("partnership_id", UUID.class));
        });
        return List.copyOf(groups.values());
    }

    private static String[] strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
