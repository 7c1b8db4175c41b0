package ca.cmp.hub.replica;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The hub's one DataSource when a replica is configured: connections come from the primary unless the current
 * thread is inside a GraphQL query that {@link ReplicaReads} sent to the replica, and never inside a read-write
 * transaction (a query may write, e.g. its audit rows). It sits behind a {@code LazyConnectionDataSourceProxy},
 * so a transaction's connection is chosen at its first statement, once the transaction is known to be active
 * (and whether it is read-only). A replica connection that cannot be had or is
 * dead falls back to the primary at once and has the monitor recheck: callers see no error.
 */
class ReadRouting extends AbstractRoutingDataSource {

    enum Target { PRIMARY, REPLICA }

    /** The target chosen for the GraphQL operation running on this thread; null outside one. */
    private static final ThreadLocal<Target> CHOSEN = new ThreadLocal<>();

    private final HikariDataSource primary;
    private final HikariDataSource replica;
    private final ReplicaMonitor monitor;
    private final Counter toPrimary;
    private final Counter toReplica;

    ReadRouting(HikariDataSource primary, HikariDataSource replica, ReplicaMonitor monitor, MeterRegistry meters) {
        this.primary = primary;
        this.replica = replica;
        this.monitor = monitor;
        this.toPrimary = Counter.builder("hub.db.connections").tag("target", "primary")
                .description("Connections handed out, by database").register(meters);
        this.toReplica = Counter.builder("hub.db.connections").tag("target", "replica")
                .description("Connections handed out, by database").register(meters);
        setTargetDataSources(Map.of(Target.PRIMARY, primary, Target.REPLICA, replica));
        setDefaultTargetDataSource(primary);
        setLenientFallback(false);
        afterPropertiesSet();
    }

    static void choose(Target target) {
        CHOSEN.set(target);
    }

    static void clear() {
        CHOSEN.remove();
    }

    @Override
    protected Object determineCurrentLookupKey() {
        boolean inTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        boolean readOnly = TransactionSynchronizationManager.isCurrentTransactionReadOnly();
        if (inTransaction && !readOnly) {
            return Target.PRIMARY;
        }
        // Outside a GraphQL query there is no choice: the primary.
        Target chosen = CHOSEN.get();
        return chosen == null ? Target.PRIMARY : chosen;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (determineCurrentLookupKey() == Target.REPLICA) {
            Connection c = replicaConnection();
            if (c != null) {
                toReplica.increment();
                return c;
            }
        }
        toPrimary.increment();
        return primary.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    /** A live replica connection, or null (then the replica is rechecked and skipped until it is healthy). */
    private Connection replicaConnection() {
        if (!monitor.usable()) {
            return null;
        }
        Connection c = null;
        try {
            c = replica.getConnection();
            // The pool skips its own check for connections used within the last half second; a replica stopped
            // since would fail the caller's statement, so every checkout is checked (one round trip).
            if (c.isValid(1)) {
                return c;
            }
            replica.evictConnection(c);
        } catch (SQLException e) {
            if (c != null) {
                replica.evictConnection(c);
            }
        }
        monitor.failed();
        return null;
    }
}
