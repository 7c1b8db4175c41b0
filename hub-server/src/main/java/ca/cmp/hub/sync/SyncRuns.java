package ca.cmp.hub.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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
 * when the merge rolls back. Only {@link SyncRunner} writes here; everyone reads. Text from a source (source ids,
 * reasons echoing a value) is kept {@link Printable}.
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

    /** The run's start time is the database's, as every time of the run is (the watermark of a pull is one). */
    Instant start(UUID id, UUID partnershipId, UUID connectorId, String source, boolean full, String triggeredBy,
            String owner) {
        Instant started = own.execute(s -> jdbc.queryForObject("""
                INSERT INTO sync_run (id, partnership_id, connector_id, source, mode, status, triggered_by,
                                      owner_instance)
                VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?) RETURNING started_at""", Timestamp.class, id, partnershipId,
                connectorId, source, full ? "FULL" : "INCREMENTAL", Printable.of(triggeredBy, 200), owner))
                .toInstant();
        metrics.started(id, connectorId);
        return started;
    }

    void progress(UUID runId, int recordsRead) {
        own.executeWithoutResult(s -> jdbc.update("UPDATE sync_run SET records_read = ?, heartbeat_at = now() "
                + "WHERE id = ?", recordsRead, runId));
    }

    /** The runs of this instance that are still going say so. */
    void heartbeat(Collection<UUID> runIds) {
        if (!runIds.isEmpty()) {
            own.executeWithoutResult(s -> jdbc.update("UPDATE sync_run SET heartbeat_at = now() WHERE id = ANY (?) "
                    + "AND status = 'RUNNING'", (Object) runIds.toArray(UUID[]::new)));
        }
    }

    /**
     * Marks ABANDONED every run still RUNNING whose heartbeat is older than {@code silence}, but those this
     * instance is running. One statement, so two instances looking at once abandon each run once.
     */
    List<SyncRun> abandonSilent(Duration silence, Collection<UUID> ours) {
        return own.execute(s -> jdbc.query("""
                UPDATE sync_run SET status = 'ABANDONED', finished_at = now(), failure = 'the hub instance running '
                  || 'it stopped without ending it (its last sign of life was at ' || to_char(heartbeat_at
                  AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC); its batch was written in full or not at '
                  || 'all, and the next run converges'
                WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ?)
                  AND NOT (id = ANY (?))
                RETURNING *""", SyncRuns::run, silence.toMillis() / 1000.0, ours.toArray(UUID[]::new)));
    }

    /** Ends a run that its instance is leaving (shutting down) while it is still RUNNING. */
    Optional<SyncRun> interrupt(UUID runId, String reason) {
        return own.execute(s -> jdbc.query("UPDATE sync_run SET status = 'INTERRUPTED', finished_at = now(), "
                + "failure = ? WHERE id = ? AND status = 'RUNNING' RETURNING *", SyncRuns::run,
                Printable.of(reason, 2000), runId)).stream().findFirst();
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
     * Records a run whose batch was written but whose rejections could not be stored: its counts (the rejected
     * count included) and a note saying so, without the rejected records.
     */
    void succeedWithoutRejections(UUID runId, int read, SyncEngine.Merge merge, int rejected, String digest,
            Long revision, String note) {
        own.executeWithoutResult(s -> jdbc.update("""
                UPDATE sync_run SET status = 'SUCCEEDED', finished_at = now(), records_read = ?, inserted = ?,
                  updated = ?, unchanged = ?, retired = ?, rejected = ?, source_digest = ?, programs_revision = ?,
                  failure = ?
                WHERE id = ?""", read, merge.inserted(), merge.updated(), merge.unchanged(), merge.retired(),
                rejected, digest, revision, Printable.of(note, 2000), runId));
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
    void succeedUnchanged(UUID runId, SyncRun earlier, String digest) {
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

    /**
     * Ends a RUNNING run FAILED. A run already INTERRUPTED or ABANDONED stays so: what failed then was its
     * instance's leaving, which that status says.
     */
    void fail(UUID runId, int read, String reason, List<Rejection> rejections) {
        own.executeWithoutResult(s -> {
            int ended = jdbc.update("""
                    UPDATE sync_run SET status = 'FAILED', finished_at = now(), records_read = ?, rejected = ?,
                      failure = ? WHERE id = ? AND status = 'RUNNING'""", read, rejections.size(),
                    Printable.of(reason, 2000), runId);
            if (ended > 0) {
                saveRejections(runId, rejections);
            }
        });
        metrics.finished(runId, "failed", new SyncRun.Counts(read, 0, 0, 0, 0, rejections.size()));
    }

    private void saveRejections(UUID runId, List<Rejection> rejections) {
        jdbc.batchUpdate("INSERT INTO sync_rejection (run_id, position, source_id, field, reason) VALUES (?, ?, ?, ?, ?)",
                rejections, 1000, (ps, r) -> {
                    ps.setObject(1, runId);
                    ps.setInt(2, r.position());
                    ps.setString(3, Printable.of(r.sourceId(), 200));
                    ps.setString(4, Printable.of(r.field(), 300));
                    ps.setString(5, Printable.of(r.reason(), 1000));
                });
    }

    public Optional<SyncRun> find(UUID id) {
        return jdbc.query("SELECT * FROM sync_run WHERE id = ?", SyncRuns::run, id).stream().findFirst();
    }

    public List<SyncRun> recent(UUID partnershipId, int limit) {
        return jdbc.query("SELECT * FROM sync_run WHERE partnership_id = ? ORDER BY started_at DESC, id LIMIT ?",
                SyncRuns::run, partnershipId, limit);
    }

    /** When each partnership's latest successful run (a push or a pull) ended; partnerships without one are absent. */
    public java.util.Map<UUID, java.time.Instant> lastSucceeded(Collection<UUID> partnershipIds) {
        java.util.Map<UUID, java.time.Instant> last = new java.util.HashMap<>();
        if (partnershipIds.isEmpty()) {
            return last;
        }
        new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc).query("""
                SELECT partnership_id, max(finished_at) AS at FROM sync_run
                WHERE partnership_id IN (:ids) AND status = 'SUCCEEDED' GROUP BY partnership_id""",
                java.util.Map.of("ids", List.copyOf(partnershipIds)), (java.sql.ResultSet rs) -> {
                    last.put(rs.getObject("partnership_id", UUID.class), rs.getTimestamp("at").toInstant());
                });
        return last;
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

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
