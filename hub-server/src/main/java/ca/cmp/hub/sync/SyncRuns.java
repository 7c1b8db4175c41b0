package ca.cmp.hub.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record of every run. Start, progress and finish are written in transactions of their own, so a run is
 * visible (RUNNING, with records read so far) while its data is still being merged, and its failure is kept
 * when the merge rolls back.
 */
@Component
public class SyncRuns {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate own;
    private final SyncMetrics metrics;

    SyncRuns(JdbcTemplate jdbc, PlatformTransactionManager transactions, SyncMetrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public UUID start(UUID partnershipId, UUID connectorId, String source, boolean full, String triggeredBy) {
        UUID id = UUID.randomUUID();
        own.executeWithoutResult(s -> jdbc.update("""
                INSERT INTO sync_run (id, partnership_id, connector_id, source, mode, status, triggered_by)
                VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)""", id, partnershipId, connectorId, source,
                full ? "FULL" : "INCREMENTAL", triggeredBy));
        metrics.started(id, connectorId);
        return id;
    }

    public void progress(UUID runId, int recordsRead) {
        own.executeWithoutResult(s -> jdbc.update("UPDATE sync_run SET records_read = ? WHERE id = ?", recordsRead,
                runId));
    }

    public void succeed(UUID runId, int read, SyncEngine.Merge merge, List<Rejection> rejections) {
        succeed(runId, read, merge, rejections, null, null);
    }

    /**
     * @param digest   the {@code DocumentDigest} of the document the run read, or null (a push, a paged API)
     * @param revision the partnership's programs revision the run's writes left, read in its transaction
     */
    void succeed(UUID runId, int read, SyncEngine.Merge merge, List<Rejection> rejections, String digest,
            Long revision) {
        own.executeWithoutResult(s -> {
            jdbc.update("""
                    UPDATE sync_run SET status = 'SUCCEEDED', finished_at = now(), records_read = ?, inserted = ?,
                      updated = ?, unchanged = ?, retired = ?, rejected = ?, source_digest = ?, programs_revision = ?
                    WHERE id = ?""", read, merge.inserted(), merge.updated(), merge.unchanged(), merge.retired(),
                    rejections.size(), digest, revision, runId);
            saveRejections(runId, rejections);
        });
        metrics.finished(runId, "succeeded", new SyncRun.Counts(read, merge.inserted(), merge.updated(),
                merge.unchanged(), merge.retired(), rejections.size()));
    }

    /**
     * The latest successful run of the connector that applied a document of this digest, provided nothing has
     * written the partnership's programs since (its recorded revision is still the partnership's).
     */
    public Optional<SyncRun> sameDocument(UUID connectorId, String digest) {
        return jdbc.query("""
                SELECT r.* FROM sync_run r JOIN partnership p ON p.id = r.partnership_id
                WHERE r.connector_id = ? AND r.status = 'SUCCEEDED' AND r.source_digest = ?
                  AND r.programs_revision = p.programs_revision
                ORDER BY r.started_at DESC, r.id LIMIT 1""", SyncRuns::run, connectorId, digest).stream()
                .findFirst();
    }

    /**
     * Records a run that found {@code earlier}'s document unchanged: what that run read, all of it unchanged now
     * (nothing inserted, updated or retired), and the same records rejected for the same reasons.
     */
    public void succeedUnchanged(UUID runId, SyncRun earlier, String digest) {
        SyncRun.Counts c = earlier.counts();
        own.executeWithoutResult(s -> {
            jdbc.update("""
                    UPDATE sync_run r SET status = 'SUCCEEDED', finished_at = now(), records_read = ?, inserted = 0,
                      updated = 0, unchanged = ?, retired = 0, rejected = ?, source_digest = ?,
                      programs_revision = e.programs_revision, same_document_as = e.id
                    FROM sync_run e WHERE r.id = ? AND e.id = ?""", c.read(), c.inserted() + c.updated()
                    + c.unchanged(), c.rejected(), digest, runId, earlier.id());
            jdbc.update("INSERT INTO sync_rejection (run_id, position, source_id, field, reason) SELECT ?, position, "
                    + "source_id, field, reason FROM sync_rejection WHERE run_id = ?", runId, earlier.id());
        });
        metrics.finished(runId, "unchanged", new SyncRun.Counts(c.read(), 0, 0,
                c.inserted() + c.updated() + c.unchanged(), 0, c.rejected()));
    }

    public void fail(UUID runId, int read, String reason, List<Rejection> rejections) {
        own.executeWithoutResult(s -> {
            jdbc.update("""
                    UPDATE sync_run SET status = 'FAILED', finished_at = now(), records_read = ?, rejected = ?,
                      failure = ? WHERE id = ?""", read, rejections.size(), reason, runId);
            saveRejections(runId, rejections);
        });
        metrics.finished(runId, "failed", new SyncRun.Counts(read, 0, 0, 0, 0, rejections.size()));
    }

    private void saveRejections(UUID runId, List<Rejection> rejections) {
        jdbc.batchUpdate("INSERT INTO sync_rejection (run_id, position, source_id, field, reason) VALUES (?, ?, ?, ?, ?)",
                rejections, 1000, (ps, r) -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, r.position());
                    ps.setString(3, r.sourceId());
                    ps.setString(4, r.field());
                    ps.setString(5, r.reason());
                });
    }

    public Optional<SyncRun> find(UUID id) {
        return jdbc.query("SELECT * FROM sync_run WHERE id = ?", SyncRuns::run, id).stream().findFirst();
    }

    public List<SyncRun> recent(UUID partnershipId, int limit) {
        return jdbc.query("SELECT * FROM sync_run WHERE partnership_id = ? ORDER BY started_at DESC, id LIMIT ?",
                SyncRuns::run, partnershipId, limit);
    }

    /** The latest runs of each connector, newest first. */
    public java.util.Map<UUID, List<SyncRun>> recentOfConnectors(Collection<UUID> connectorIds, int limitEach) {
        java.util.Map<UUID, List<SyncRun>> byConnector = new java.util.LinkedHashMap<>();
        if (connectorIds.isEmpty()) {
            return byConnector;
        }
        jdbc.query("""
                SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY connector_id ORDER BY started_at DESC, id)
                                 AS n FROM sync_run r WHERE connector_id = ANY (?)) t
                WHERE n <= ? ORDER BY connector_id, started_at DESC, id""",
                (ResultSet rs) -> {
                    SyncRun run = run(rs, 0);
                    byConnector.computeIfAbsent(run.connectorId(), k -> new java.util.ArrayList<>()).add(run);
                }, connectorIds.toArray(UUID[]::new), limitEach);
        return byConnector;
    }

    public List<Rejection> rejections(UUID runId, int limit) {
        return jdbc.query("SELECT * FROM sync_rejection WHERE run_id = ? ORDER BY position LIMIT ?",
                (rs, n) -> new Rejection(rs.getInt("position"), rs.getString("source_id"), rs.getString("field"),
                        rs.getString("reason")), runId, limit);
    }

    public java.util.Map<UUID, List<Rejection>> rejections(Collection<UUID> runIds, int limitEach) {
        java.util.Map<UUID, List<Rejection>> byRun = new java.util.LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return byRun;
        }
        jdbc.query("""
                SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY run_id ORDER BY position) AS n
                               FROM sync_rejection r WHERE run_id = ANY (?)) t WHERE n <= ? ORDER BY run_id, position""",
                (ResultSet rs) -> {
                    byRun.computeIfAbsent(rs.getObject("run_id", UUID.class), k -> new java.util.ArrayList<>())
                            .add(new Rejection(rs.getInt("position"), rs.getString("source_id"), rs.getString("field"),
                                    rs.getString("reason")));
                }, runIds.toArray(UUID[]::new), limitEach);
        return byRun;
    }

    private static SyncRun run(ResultSet rs, int n) throws SQLException {
        return new SyncRun(rs.getObject("id", UUID.class), rs.getObject("partnership_id", UUID.class),
                rs.getObject("connector_id", UUID.class), rs.getString("source"), rs.getString("mode"),
                rs.getString("status"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                new SyncRun.Counts(rs.getInt("records_read"), rs.getInt("inserted"), rs.getInt("updated"),
                        rs.getInt("unchanged"), rs.getInt("retired"), rs.getInt("rejected")),
                rs.getString("failure"), rs.getObject("same_document_as", UUID.class));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
