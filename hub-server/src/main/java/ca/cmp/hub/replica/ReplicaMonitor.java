package ca.cmp.hub.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The replica's state, read every {@code check-interval} on a thread of its own (never per query): UP, LAGGING
 * (more than {@code max-lag} of replay behind while the primary has WAL it has not replayed) or DOWN (unreachable,
 * or not a standby). Readers consult only the last reading. Changes of state are logged once each.
 */
class ReplicaMonitor implements SmartLifecycle {

    enum State { UP, LAGGING, DOWN }

    record Reading(State state, long replayLsn, long primaryLsn, Double lagSeconds, String reason) {
    }

    private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);

    private final Duration maxLag;
    private final Duration interval;
    private DataSource primary;
    private DataSource replica;
    private volatile Reading last = new Reading(State.DOWN, -1, -1, null, "not checked yet");
    private ScheduledExecutorService timer;

    ReplicaMonitor(ReplicaProperties properties) {
        this.maxLag = properties.maxLag();
        this.interval = properties.checkInterval();
    }

    void watch(DataSource primary, DataSource replica) {
        this.primary = primary;
        this.replica = replica;
    }

    Reading last() {
        return last;
    }

    boolean usable() {
        return last.state == State.UP;
    }

    /** Whether the replica is usable and has replayed at least {@code lsn} (as of the last reading). */
    boolean hasReplayed(long lsn) {
        Reading r = last;
        return r.state == State.UP && r.replayLsn >= lsn;
    }

    /** A replica connection failed: skip the replica now, and read its state again at once. */
    void failed() {
        Reading r = last;
        if (r.state != State.DOWN) {
            record(new Reading(State.DOWN, r.replayLsn, r.primaryLsn, null, "a connection failed"));
        }
        ScheduledExecutorService t = timer;
        if (t != null && !t.isShutdown()) {
            t.execute(this::check);
        }
    }

    synchronized void check() {
        long primaryLsn;
        try (Connection c = primary.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            primaryLsn = rs.getLong(1);
        } catch (SQLException | RuntimeException e) {
            primaryLsn = -1; // The primary's own trouble is not the replica's: judge the replica by time alone.
        }
        try (Connection c = replica.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), "
                        + "(pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, "
                        + "extract(epoch FROM now() - pg_last_xact_replay_timestamp())")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                record(new Reading(State.DOWN, -1, primaryLsn, null, "not a standby (pg_is_in_recovery() is false)"));
                return;
            }
            long replay = rs.getLong(2);
            double lag = rs.getDouble(3);
            Double lagSeconds = rs.wasNull() ? null : lag;
            // An idle primary sends nothing to replay, so the replay timestamp ages without the replica lagging.
            boolean behind = primaryLsn < 0 || replay < primaryLsn;
            boolean lagging = behind && lagSeconds != null && lagSeconds * 1000 > maxLag.toMillis();
            record(new Reading(lagging ? State.LAGGING : State.UP, replay, primaryLsn, lagSeconds,
                    lagging ? "replay is " + Math.round(lagSeconds) + " s behind (max-lag " + maxLag + ")" : null));
        } catch (SQLException | RuntimeException e) {
            record(new Reading(State.DOWN, -1, primaryLsn, null, "unreachable: " + e.getMessage()));
        }
    }

    private void record(Reading now) {
        Reading before = last;
        last = now;
        if (before.state != now.state) {
            if (now.state == State.UP) {
                log.info("Read replica is UP: read-only queries use it again");
            } else {
                log.warn("Read replica is {} ({}): reads go to the primary until it is healthy", now.state,
                        now.reason);
            }
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-replica-monitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.warn("Replica check failed: {}", e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null && !timer.isShutdown();
    }
}
