package ca.cmp.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data version without a round trip: PostgreSQL's notification of a commit made behind the hub's back (plain
 * SQL) is heard; while listening, {@link DataVersion#recent()} answers with {@code data_version} locked (so it did
 * not ask); an instance's own commit is known at once and a rolled-back bump never; a listener whose connection is
 * killed falls back to asking, reconnects and hears again.
 */
@SpringBootTest
@ActiveProfiles("test")
class DataVersionTest {

    @Autowired
    DataVersion version;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Test
    void aCommitBehindTheHubsBackIsHeardAndThenAnsweredWithoutAsking() throws Exception {
        awaitListening();
        long before = version.current();
        jdbc.update("UPDATE data_version SET version = version + 1");
        awaitTrue(() -> version.recent() == before + 1, "recent() hears the plain-SQL commit");
        assertThat(recentWhileLocked()).isEqualTo(before + 1);
    }

    @Test
    void ownCommitIsKnownAtOnceAndARolledBackBumpNever() {
        // An instance of its own that no listener feeds: only its own commits can raise what it knows.
        DataVersion own = new DataVersion(jdbc, events);
        long start = own.current();
        own.vouch(start, TimeUnit.MINUTES.toNanos(5));
        transactions.executeWithoutResult(status -> {
            own.bump();
            assertThat(own.recent()).as("not before it commits").isEqualTo(start);
        });
        assertThat(own.recent()).isEqualTo(start + 1).isEqualTo(own.current());
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            own.bump();
            throw new IllegalStateException("the write fails");
        })).hasMessage("the write fails");
        assertThat(own.current()).isEqualTo(start + 1);
        assertThat(own.recent()).isEqualTo(start + 1);
        own.unvouch();
        jdbc.update("UPDATE data_version SET version = version + 1");
        assertThat(own.recent()).as("unvouched, it asks").isEqualTo(start + 2);
    }

    @Test
    void aKilledListenerFallsBackToAskingThenReconnectsAndHearsAgain() throws Exception {
        awaitListening();
        List<Integer> killed = jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ? "
                + "AND datname = current_database()", Integer.class, DataVersionListener.APPLICATION_NAME);
        for (int pid : killed) {
            assertThat(jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid)).isTrue();
        }
        long before = version.current();
        jdbc.update("UPDATE data_version SET version = version + 1");
        // Whether the listener has noticed yet or not, recent() never answers the version before the commit
        // for longer than a notification takes: it has either heard it, or asks.
        awaitTrue(() -> version.recent() == before + 1, "recent() after the listener was killed");
        awaitTrue(() -> jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = "
                + "current_database() AND query LIKE 'SELECT version%'", Integer.class,
                DataVersionListener.APPLICATION_NAME).stream().anyMatch(pid -> !killed.contains(pid)),
                "a new listener connection has read the version");
        jdbc.update("UPDATE data_version SET version = version + 1");
        awaitTrue(() -> version.recent() == before + 2, "recent() hears again after reconnecting");
        assertThat(recentWhileLocked()).isEqualTo(before + 2);
    }

    /** recent() with data_version locked against reads: it answers only if it does not ask PostgreSQL. */
    private long recentWhileLocked() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE data_version IN ACCESS EXCLUSIVE MODE");
                return CompletableFuture.supplyAsync(version::recent).get(10, TimeUnit.SECONDS);
            } finally {
                c.rollback();
            }
        }
    }

    private void awaitListening() throws InterruptedException {
        awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
                + "AND datname = current_database() AND query LIKE 'SELECT version%'", Integer.class,
                DataVersionListener.APPLICATION_NAME) > 0, "the listener is connected and has read the version");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
