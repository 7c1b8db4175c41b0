package ca.cmp.hub.connector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;


import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.DocumentConnector;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.sync.SyncRun;
import ca.cmp.hub.sync.SyncRunner;
import ca.cmp.hub.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Runs connectors, on demand or on their schedule, on a small pool of worker threads. A run holds the
 * connector's lock (one run per connector across all instances; a lease renewed while it runs), is a run of
 * {@link SyncRunner} (recorded from the start, RUNNING with the records read so far as progress, ended once
 * whatever happens), reads the source — incrementally where the source can filter by change time (HSDS
 * {@code modified_after}, a hub's {@code changedSince}) once a full read has succeeded, in full when asked or when
 * a scheduled run finds the last full read older than {@code hub.connectors.full-read-every} — and applies the
 * batch atomically. Changes are asked for since the start of the last good read, less an overlap, so an upstream
 * edit made while a run was reading is read by the next. A read that fails (after the fetcher's retries) ends the run FAILED with the reason and
 * changes nothing.
 */
@Component
class ConnectorRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConnectorRunner.class);

    sealed interface Outcome permits Started, Busy {
    }

    record Started(UUID runId, Future<SyncRun> result) implements Outcome {
    }

    record Busy(String message) implements Outcome {
    }

    private final Connectors connectors;
    private final ConnectorSources sources;
    private final ConnectorLock lock;
    private final SyncRunner runner;
    private final SyncRuns runs;
    private final ConnectorProperties properties;
    private final ThreadPoolExecutor workers;
    /** The locks this instance's runs hold, by run, renewed until the run ends. */
    private final Map<UUID, ConnectorLock.Attempt> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connector-lock-renewal");
        t.setDaemon(true);
        return t;
    });

    ConnectorRunner(Connectors connectors, ConnectorSources sources, ConnectorLock lock, SyncRunner runner,
            SyncRuns runs, ConnectorProperties properties) {
        this.connectors = connectors;
        this.sources = sources;
        this.lock = lock;
        this.runner = runner;
        this.runs = runs;
        this.properties = properties;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.workers(), properties.workers(), 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(100), r -> {
                    Thread t = new Thread(r, "connector-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        long every = Math.max(100, properties.lockTtl().toMillis() / 3);
        renewals.scheduleWithFixedDelay(this::renewLocks, every, every, TimeUnit.MILLISECONDS);
    }

    /** An on-demand run. Without Redis there is no shared lock; a person asked, so the run goes ahead. */
    Outcome runNow(ConnectorDefinition connector, boolean full, String triggeredBy) {
        ConnectorLock.Attempt attempt = lock.acquire(connector.id(), properties.lockTtl());
        if (attempt.state() == ConnectorLock.State.HELD_ELSEWHERE) {
            return new Busy("connector \"" + connector.name() + "\" is running already; follow that run in syncRuns");
        }
        if (attempt.state() == ConnectorLock.State.REDIS_DOWN) {
            log.warn("Redis is down: running connector {} on demand without the shared lock", connector.id());
        }
        return start(connector, full, triggeredBy, attempt);
    }

    /**
     * A scheduled run, if the connector is still due once its lock is held (another instance may have run it
     * since it was found due). Without Redis, scheduled runs wait: running without the lock could run twice.
     */
    void runIfDue(UUID connectorId) {
        ConnectorLock.Attempt attempt = lock.acquire(connectorId, properties.lockTtl());
        if (attempt.state() != ConnectorLock.State.ACQUIRED) {
            if (attempt.state() == ConnectorLock.State.REDIS_DOWN) {
                log.warn("Redis is down: scheduled run of connector {} postponed", connectorId);
            }
            return;
        }
        ConnectorDefinition connector = connectors.find(connectorId).orElse(null);
        if (connector == null || !connector.enabled() || connector.schedule() == null
                || connector.nextRunAt() == null || connector.nextRunAt().isAfter(Instant.now())) {
            lock.release(attempt);
            return;
        }
        // Moved on before the run starts, so no instance finds this slot due again.
        connectors.claimed(connector.id(), nextRun(connector.schedule()));
        Instant lastFull = connector.lastFullSyncAt();
        boolean full = lastFull == null || lastFull.isBefore(Instant.now().minus(properties.fullReadEvery()));
        Outcome outcome = start(connector, full, "schedule", attempt);
        if (outcome instanceof Busy busy) {
            // The slot was claimed for a run that did not start (this instance is draining, or full): due again.
            connectors.dueAgain(List.of(connectorId));
            log.warn("Scheduled run of connector {} not started: {}", connectorId, busy.message());
        }
    }

    private Outcome start(ConnectorDefinition connector, boolean forceFull, String triggeredBy,
            ConnectorLock.Attempt attempt) {
        // Incremental only where the source can filter by change time, and only after a good full read.
        Instant since = forceFull || !sources.readsChanges(connector) || connector.lastFullSyncAt() == null
                || connector.changesReadUntil() == null ? null
                : connector.changesReadUntil().minus(properties.changesOverlap());
        SyncRunner.Run run;
        try {
            run = runner.begin(connector.partnershipId(), connector.id(), connector.source(), since == null,
                    triggeredBy);
        } catch (SyncRunner.Draining e) {
            lock.release(attempt);
            return new Busy(e.getMessage());
        }
        held.put(run.id(), attempt);
        try {
            Future<SyncRun> result = workers.submit(() -> {
                try {
                    return execute(connector, run, since);
                } finally {
                    run.close();
                    if (held.remove(run.id()) != null) {
                        lock.release(attempt);
                    }
                }
            });
            return new Started(run.id(), result);
        } catch (RejectedExecutionException e) {
            held.remove(run.id());
            lock.release(attempt);
            run.fail("too many connector runs are queued on this instance; try again later", e);
            return new Busy("too many connector runs are queued; try again later");
        }
    }

    private SyncRun execute(ConnectorDefinition connector, SyncRunner.Run run, Instant since) {
        long started = System.nanoTime();
        boolean[] complete = new boolean[1];
        SyncRun result;
        try {
            Connector source = sources.build(connector);
            IntConsumer progress = read -> {
                run.progress(read);
                log.info("Run {} of connector \"{}\": {} records read", run.id(), connector.name(), read);
            };
            if (source instanceof DocumentConnector document) {
                byte[] bytes = document.fetch();
                String digest = DocumentDigest.of(connector, sources.postalCodes().fingerprint(), bytes);
                Optional<SyncRun> earlier = runs.sameDocument(connector.id(), digest);
                if (earlier.isPresent()) {
                    complete[0] = true;
                    result = unchanged(connector, run, earlier.get(), digest, started);
                } else {
                    result = run.apply(timed(connector, run, () -> document.parse(bytes, progress), complete, started),
                            digest);
                }
            } else {
                result = run.apply(timed(connector, run, () -> source.read(since, progress), complete, started),
                        null);
            }
        } catch (ConnectorException | SealedSecrets.Unavailable e) {
            result = run.fail(e.getMessage(), e);
        } catch (RuntimeException e) {
            result = run.fail("the connector could not run", e);
        }
        boolean ok = "SUCCEEDED".equals(result.status());
        connectors.ran(connector.id(), ok, ok && complete[0], run.startedAt());
        log.info("Run {} of connector \"{}\" {} in {} ms", run.id(), connector.name(), result.status(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return result;
    }

    private static SyncRunner.BatchRead timed(ConnectorDefinition connector, SyncRunner.Run run,
            SyncRunner.BatchRead read, boolean[] complete, long started) {
        return () -> {
            SourceBatch batch = read.read();
            complete[0] = batch.complete();
            log.info("Run {} of connector \"{}\": source read in {} ms", run.id(), connector.name(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            return batch;
        };
    }

    /**
     * The document is byte for byte the one {@code earlier} applied, and nothing has written the partnership's
     * programs since: reading it again would find every record unchanged (and reject the same ones), so the run
     * records that outcome without parsing, validating or comparing. It is a full snapshot read all the same: the
     * connector's programs count as verified by it.
     */
    private SyncRun unchanged(ConnectorDefinition connector, SyncRunner.Run run, SyncRun earlier, String digest,
            long started) {
        SyncRun result = run.unchanged(earlier, digest);
        log.info("Run {} of connector \"{}\": the document is unchanged since run {} and nothing has written the "
                + "partnership's programs since; its outcome applies ({} records unchanged) in {} ms", run.id(),
                connector.name(), earlier.id(), earlier.counts().inserted() + earlier.counts().updated()
                        + earlier.counts().unchanged(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        return result;
    }

    private void renewLocks() {
        held.forEach((run, attempt) -> {
            if (!lock.renew(attempt, properties.lockTtl()) && attempt.state() == ConnectorLock.State.ACQUIRED) {
                log.warn("Run {}: the connector's lock could not be renewed (lapsed, or Redis is down)", run);
            }
        });
    }

    /**
     * Runs that ended without an outcome (this instance shut down, or another died) are due again at once, for any
     * instance; the locks of this instance's interrupted runs are let go, so that the next run need not wait out
     * their lease.
     */
    @EventListener
    void runsLeft(SyncRunner.RunsLeft left) {
        List<UUID> ids = left.runs().stream().map(SyncRun::connectorId).filter(Objects::nonNull).distinct().toList();
        connectors.dueAgain(ids);
        for (SyncRun run : left.runs()) {
            ConnectorLock.Attempt attempt = held.remove(run.id());
            if (attempt != null) {
                lock.release(attempt);
            }
        }
    }

    /** Waits for a started run up to {@code timeout}; the run as it stands then. */
    SyncRun await(Started started, Duration timeout) {
        try {
            return started.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            return runs.find(started.runId()).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return runs.find(started.runId()).orElseThrow();
        } catch (ExecutionException e) {
            throw new IllegalStateException("connector run " + started.runId() + " crashed", e.getCause());
        }
    }

    static Instant nextRun(String schedule) {
        ZonedDateTime next = CronExpression.parse(schedule).next(ZonedDateTime.now());
        return next == null ? null : next.toInstant();
    }

    @Override
    public void destroy() {
        renewals.shutdownNow();
        workers.shutdownNow();
    }
}
