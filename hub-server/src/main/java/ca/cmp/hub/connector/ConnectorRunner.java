package ca.cmp.hub.connector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.ConnectorKind;
import ca.cmp.hub.connectors.DocumentConnector;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.sync.SourceSync;
import ca.cmp.hub.sync.SyncRun;
import ca.cmp.hub.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Runs connectors, on demand or on their schedule, on a small pool of worker threads. A run holds the
 * connector's lock (one run per connector across all instances), is recorded from the start (RUNNING, with the
 * records read so far as progress), reads the source — incrementally (HSDS modified_after) once a full read has
 * succeeded, unless a full run is asked for — and applies the batch atomically. A read that fails (after the
 * fetcher's retries) records the run as FAILED with the reason and changes nothing.
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
    private final SourceSync sync;
    private final SyncRuns runs;
    private final ConnectorProperties properties;
    private final ThreadPoolExecutor workers;

    ConnectorRunner(Connectors connectors, ConnectorSources sources, ConnectorLock lock, SourceSync sync,
            SyncRuns runs, ConnectorProperties properties) {
        this.connectors = connectors;
        this.sources = sources;
        this.lock = lock;
        this.sync = sync;
        this.runs = runs;
        this.properties = properties;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.workers(), properties.workers(), 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(100), r -> {
                    Thread t = new Thread(r, "connector-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
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
        return start(connector, full, triggeredBy, attempt, connector.nextRunAt());
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
        Instant next = nextRun(connector.schedule());
        // Moved on before the run starts, so no instance finds this slot due again.
        connectors.ran(connector.id(), false, false, next);
        Outcome outcome = start(connector, false, "schedule", attempt, next);
        if (outcome instanceof Busy busy) {
            log.warn("Scheduled run of connector {} not started: {}", connectorId, busy.message());
        }
    }

    private Outcome start(ConnectorDefinition connector, boolean forceFull, String triggeredBy,
            ConnectorLock.Attempt attempt, Instant nextRunAt) {
        // Incremental only where the source can filter by change time, and only after a good full read.
        Instant since = !forceFull && connector.kind() == ConnectorKind.HSDS_API ? connector.lastFullSyncAt() == null
                ? null : connector.lastSuccessAt() : null;
        UUID run = runs.start(connector.partnershipId(), connector.id(), connector.source(), since == null,
                triggeredBy);
        try {
            Future<SyncRun> result = workers.submit(() -> {
                try {
                    return execute(connector, run, since, nextRunAt);
                } finally {
                    lock.release(attempt);
                }
            });
            return new Started(run, result);
        } catch (RejectedExecutionException e) {
            lock.release(attempt);
            runs.fail(run, 0, "too many connector runs are queued on this instance; try again later", List.of());
            return new Busy("too many connector runs are queued; try again later");
        }
    }

    private SyncRun execute(ConnectorDefinition connector, UUID run, Instant since, Instant nextRunAt) {
        long started = System.nanoTime();
        try {
            Connector source = sources.build(connector);
            IntConsumer progress = read -> {
                runs.progress(run, read);
                log.info("Run {} of connector \"{}\": {} records read", run, connector.name(), read);
            };
            SourceSync.BatchRead read;
            String digest = null;
            if (source instanceof DocumentConnector document) {
                byte[] bytes = document.fetch();
                digest = DocumentDigest.of(connector, sources.postalCodes().fingerprint(), bytes);
                Optional<SyncRun> earlier = runs.sameDocument(connector.id(), digest);
                if (earlier.isPresent()) {
                    return unchanged(connector, run, earlier.get(), digest, nextRunAt, started);
                }
                read = () -> document.parse(bytes, progress);
            } else {
                read = () -> source.read(since, progress);
            }
            boolean[] complete = new boolean[1];
            SyncRun result = sync.apply(run, connector.partnershipId(), connector.source(), connector.id(), () -> {
                SourceBatch batch = read.read();
                complete[0] = batch.complete();
                log.info("Run {} of connector \"{}\": source read in {} ms", run, connector.name(),
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                return batch;
            }, digest);
            boolean ok = "SUCCEEDED".equals(result.status());
            connectors.ran(connector.id(), ok, ok && complete[0], nextRunAt);
            log.info("Run {} of connector \"{}\" {} in {} ms", run, connector.name(), result.status(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            return result;
        } catch (ConnectorException | RuntimeException e) {
            String reason = e instanceof ConnectorException ? e.getMessage()
                    : "the connector could not run: " + e.getMessage();
            log.warn("Run {} of connector \"{}\" failed: {}", run, connector.name(), reason);
            runs.fail(run, 0, reason, List.of());
            connectors.ran(connector.id(), false, false, nextRunAt);
            return runs.find(run).orElseThrow();
        }
    }

    /**
     * The document is byte for byte the one {@code earlier} applied, and nothing has written the partnership's
     * programs since: reading it again would find every record unchanged (and reject the same ones), so the run
     * records that outcome without parsing, validating or comparing. It is a full snapshot read all the same: the
     * connector's programs count as verified by it.
     */
    private SyncRun unchanged(ConnectorDefinition connector, UUID run, SyncRun earlier, String digest,
            Instant nextRunAt, long started) {
        runs.succeedUnchanged(run, earlier, digest);
        connectors.ran(connector.id(), true, true, nextRunAt);
        log.info("Run {} of connector \"{}\": the document is unchanged since run {} and nothing has written the "
                + "partnership's programs since; its outcome applies ({} records unchanged) in {} ms", run,
                connector.name(), earlier.id(), earlier.counts().inserted() + earlier.counts().updated()
                        + earlier.counts().unchanged(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        return runs.find(run).orElseThrow();
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
        workers.shutdownNow();
    }
}
