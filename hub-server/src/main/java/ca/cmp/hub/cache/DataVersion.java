package ca.cmp.hub.cache;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The version of the hub's data. Writers call {@link #bump()} inside the transaction that changes programs or
 * census areas; readers key cached results by {@link #current()}. Living in PostgreSQL, it is exactly as
 * consistent as the data it versions, for every instance.
 *
 * <p>{@link #recent()} is the same number without a round trip, for the hottest reads (a map tile from memory): the
 * newest version this instance knows committed, from its own commits and from PostgreSQL's notifications of
 * everyone's (V75's trigger, heard by {@link DataVersionListener}).
 */
@Component
public class DataVersion {

    /** Published with every bump; listeners that act on committed data use a transactional listener. */
    public record Changed() {
    }

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    /** The newest committed version known here; -1 while no listener vouches for it. */
    private final AtomicLong heard = new AtomicLong(-1);
    /** System.nanoTime() until which the listener vouches for {@link #heard} (it renews it while connected). */
    private volatile long vouchedUntil;

    public DataVersion(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public long current() {
        return jdbc.queryForObject("SELECT version FROM data_version", Long.class);
    }

    /**
     * The version as this instance knows it, without asking PostgreSQL while its listener is connected (else
     * {@link #current()}). Exact for this instance's own writes (raised when they commit, before their callers
     * hear of it); another instance's or plain SQL's commit is known here when PostgreSQL's notification arrives
     * (a read racing that commit may answer from the version before it, as a read racing it in PostgreSQL may).
     * Never ahead of what a new statement sees, so only for keys of reads outside a transaction: a repeatable-read
     * snapshot may be older than this.
     */
    public long recent() {
        long v = heard.get();
        return v >= 0 && System.nanoTime() - vouchedUntil < 0 ? v : current();
    }

    /** Must run in the writer's transaction. */
    public void bump() {
        long v = jdbc.queryForObject(
                "UPDATE data_version SET version = version + 1, changed_at = now() RETURNING version", Long.class);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    heardOf(v);
                }
            });
        } else {
            heardOf(v);
        }
        events.publishEvent(new Changed());
    }

    /** A committed version (a notification, this instance's commit, or a read); only ever raises what is known. */
    void heardOf(long version) {
        heard.accumulateAndGet(version, (known, v) -> known < 0 ? known : Math.max(known, v));
    }

    /**
     * The listener is connected and has read {@code version} after it started listening; it vouches for what is
     * heard for {@code nanos} from now unless it renews.
     */
    void vouch(long version, long nanos) {
        heard.accumulateAndGet(version, Math::max);
        vouchedUntil = System.nanoTime() + nanos;
    }

    /** The listener lost its connection: every {@link #recent()} asks PostgreSQL until it is back. */
    void unvouch() {
        heard.set(-1);
    }
}
