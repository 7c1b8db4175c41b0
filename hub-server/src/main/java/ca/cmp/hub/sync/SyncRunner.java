package ca.cmp.hub.sync;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The one owner of a sync run's life, for pushes, connector pulls and the demo alike: a run is started here
 * (RUNNING, owned by this instance), reports progress, and ends here exactly once — SUCCEEDED, FAILED with a
 * reason in the caller's terms and a log reference, or INTERRUPTED when its instance shuts down. Whatever went
 * wrong, the end is written (in a transaction of its own, falling back to a bare FAILED when even the report cannot
 * be stored), so no run is left RUNNING by a failure. A run whose instance died cannot end itself: every instance
 * beats the heart of its runs and marks ABANDONED the runs whose heart stopped ({@link SyncProperties}), at
 * start-up and periodically. Interrupted and abandoned runs are announced ({@link RunsLeft}) so that their next
 * run can be arranged, by any instance.
 */
@Component
@EnableScheduling
public class SyncRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    /** After the web server has stopped (requests in flight are done by then), before the data source closes. */
    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** Reads a source's batch (a connector's parse), or fails as a whole. */
    public interface BatchRead {
        SourceBatch read() throws ConnectorException;
    }

    /** This instance is shutting down and starts no more runs. */
    public static final class Draining extends RuntimeException {
        Draining() {
            super("this hub instance is shutting down; another instance takes the run", null, false, false);
        }
    }

    /** Runs that ended without an outcome of their own: INTERRUPTED here, or ABANDONED by a dead instance. */
    public record RunsLeft(List<SyncRun> runs) {
    }

    private final SyncRuns runs;
    private final SourceSync sync;
    private final SyncProperties properties;
    private final ApplicationEventPublisher events;
    private final String instance;
    private final Map<UUID, Run> active = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean draining;

    SyncRunner(SyncRuns runs, SourceSync sync, SyncProperties properties, ApplicationEventPublisher events) {
        this.runs = runs;
        this.sync = sync;
        this.properties = properties;
        this.events = events;
        this.instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    }

    /**
     * Starts a run, recorded RUNNING at once. Close it (try-with-resources, or {@link Run#close()} in a finally):
     * a run closed without an outcome ends FAILED.
     *
     * @param full        whether the run reads the whole source (a snapshot) rather than changes
     * @param triggeredBy who or what asked: a token's subject, {@code schedule}, {@code demo}
     * @throws Draining when this instance is shutting down
     */
    public Run begin(UUID partnershipId, UUID connectorId, String source, boolean full, String triggeredBy) {
        if (draining) {
            throw new Draining();
        }
        UUID id = UUID.randomUUID();
        Run run = new Run(id, partnershipId, connectorId, source);
        active.put(id, run);
        try {
            run.startedAt = runs.start(id, partnershipId, connectorId, source, full, triggeredBy, instance);
        } catch (RuntimeException e) {
            active.remove(id);
            throw e;
        }
        return run;
    }

    /**
     * Publishes a list of programs of a partnership as one run (a push, the demo, a test's fixtures): each program
     * named {@code <label>[i].} in its rejections; a snapshot retires the source's programs it does not list.
     */
    public SyncRun publish(UUID partnershipId, String source, List<SourceProgram> programs, boolean snapshot,
            String triggeredBy, String label) {
        try (Run run = begin(partnershipId, null, source, snapshot, triggeredBy)) {
            List<Integer> positions = IntStream.range(0, programs.size()).boxed().toList();
            List<String> labels = positions.stream().map(i -> label + "[" + i + "].").toList();
            return run.apply(new SourceBatch(programs, positions, labels, List.of(), snapshot));
        }
    }

    /** A run in progress, and the only way to end it. */
    public final class Run implements AutoCloseable {

        private final UUID id;
        private final UUID partnershipId;
        private final UUID connectorId;
        private final String source;
        private Instant startedAt;
        private volatile SyncRun ended;
        /** Marked INTERRUPTED by shutdown: whatever its thread does after, the run's end is written. */
        private volatile boolean interrupted;

        private Run(UUID id, UUID partnershipId, UUID connectorId, String source) {
            this.id = id;
            this.partnershipId = partnershipId;
            this.connectorId = connectorId;
            this.source = source;
        }

        public UUID id() {
            return id;
        }

        /** When the run started, by the database's clock: what a pull's next changes are read from. */
        public Instant startedAt() {
            return startedAt;
        }

        public void progress(int recordsRead) {
            try {
                runs.progress(id, recordsRead);
            } catch (RuntimeException e) {
                // Progress is a courtesy; the run goes on and its end is written all the same.
                log.warn("Run {}: progress not recorded", id, e);
            }
        }

        /** Validates and merges a batch given whole; the run ends with its outcome. */
        public SyncRun apply(SourceBatch batch) {
            return end(() -> sync.apply(id, partnershipId, source, connectorId, batch, null), null);
        }

        /**
         * Reads the batch and applies it; the run ends with its outcome. A read that fails ends the run FAILED
         * with the source's own message (a {@link ConnectorException} speaks the caller's terms).
         *
         * @param digest the read document's digest, recorded with the run; null when not one document
         */
        public SyncRun apply(BatchRead read, String digest) {
            return end(() -> sync.apply(id, partnershipId, source, connectorId, read), digest);
        }

        /** Retires the named programs of the partnership; the run ends with its outcome. */
        public SyncRun retire(List<String> sourceIds) {
            return end(() -> sync.retire(id, partnershipId, sourceIds), null);
        }

        /**
         * Ends the run as one that found {@code earlier}'s document unchanged: its outcome applies, nothing is read
         * again.
         */
        public SyncRun unchanged(SyncRun earlier, String digest) {
            return finish(() -> runs.succeedUnchanged(id, earlier, digest), 0, List.of());
        }

        /**
         * Ends the run FAILED. The caller sees {@code reason} and a log reference; the log line with that reference
         * holds {@code cause} in full.
         */
        public SyncRun fail(String reason, Throwable cause) {
            return failed(0, reason, List.of(), cause);
        }

        /** The run as recorded now. */
        public SyncRun current() {
            SyncRun e = ended;
            return e != null ? e : runs.find(id).orElseThrow();
        }

        public boolean hasEnded() {
            return ended != null;
        }

        /** A run closed before it ended failed: whatever stopped it did not say. */
        @Override
        public void close() {
            if (ended == null) {
                failed(0, "the run stopped before it could finish", List.of(),
                        new IllegalStateException("run " + id + " closed without an outcome"));
            }
        }

        private interface Work {
            SourceSync.Applied run() throws ConnectorException;
        }

        private SyncRun end(Work work, String digest) {
            SourceSync.Applied applied;
            try {
                applied = work.run();
            } catch (ConnectorException e) {
                return failed(0, e.getMessage(), List.of(), e);
            } catch (SourceSync.MergeFailed e) {
                return failed(e.read, "the batch could not be written; nothing was changed", e.rejected,
                        e.getCause());
            } catch (RuntimeException e) {
                return failed(0, "the run failed inside the hub; nothing was changed", List.of(), e);
            }
            log.info("Run {} ({}): read {}, inserted {}, updated {}, unchanged {}, retired {}, rejected {} ({})", id,
                    source, applied.read(), applied.merge().inserted(), applied.merge().updated(),
                    applied.merge().unchanged(), applied.merge().retired(), applied.rejected().size(),
                    applied.phases());
            try {
                runs.succeed(id, applied.read(), applied.merge(), applied.rejected(), digest, applied.revision());
                return ended(runs.find(id).orElseThrow());
            } catch (RuntimeException e) {
                // The batch is written (its transaction committed): the run succeeded, and says what is missing.
                String reference = reference();
                log.error("Run {} ({}) [ref {}]: written, but its {} rejections could not be stored", id, source,
                        reference, applied.rejected().size(), e);
                return finish(() -> runs.succeedWithoutRejections(id, applied.read(), applied.merge(),
                        applied.rejected().size(), digest, applied.revision(), "the batch was written, but the "
                        + "list of its rejected records could not be stored (ref " + reference + ")"),
                        applied.read(), List.of());
            }
        }

        /** Writes the successful end; if even that cannot be written, the run ends FAILED saying so. */
        private SyncRun finish(Runnable write, int read, List<Rejection> rejected) {
            try {
                write.run();
                return ended(runs.find(id).orElseThrow());
            } catch (RuntimeException e) {
                return failed(read, "the run's report could not be stored", List.of(), e);
            }
        }

        private SyncRun failed(int read, String reason, List<Rejection> rejected, Throwable cause) {
            if (interrupted) {
                // Its instance is going away (the data source with it); the run ended INTERRUPTED already.
                log.debug("Run {} failed after it was interrupted: {}", id, reason, cause);
                return ended(new SyncRun(id, partnershipId, connectorId, source, null, "INTERRUPTED", startedAt,
                        null, new SyncRun.Counts(read, 0, 0, 0, 0, rejected.size()), reason, null));
            }
            String reference = reference();
            if (cause instanceof ConnectorException) {
                // The source's own message is the whole story (its address, its answer, the attempts).
                log.warn("Run {} ({}) failed [ref {}]: {}", id, source, reference, reason);
            } else {
                log.warn("Run {} ({}) failed [ref {}]: {}", id, source, reference, reason, cause);
            }
            String shown = reason + " (ref " + reference + ")";
            try {
                runs.fail(id, read, shown, rejected);
            } catch (RuntimeException e) {
                log.error("Run {} [ref {}]: its failure with {} rejections could not be stored; storing it bare", id,
                        reference, rejected.size(), e);
                try {
                    runs.fail(id, read, shown, List.of());
                } catch (RuntimeException again) {
                    // The database is gone: the heartbeat stops with this run, so it ends ABANDONED.
                    log.error("Run {} [ref {}]: its failure could not be stored", id, reference, again);
                    active.remove(id);
                    throw new IllegalStateException("the run's end could not be recorded (ref " + reference + ")",
                            again);
                }
            }
            return ended(runs.find(id).orElseThrow());
        }

        private SyncRun ended(SyncRun run) {
            ended = run;
            synchronized (active) {
                active.remove(id);
                active.notifyAll();
            }
            return run;
        }
    }

    /** A short reference that ties what a caller sees to the log line with the whole story. */
    static String reference() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @Scheduled(fixedDelayString = "${hub.sync.heartbeat:10s}", initialDelayString = "${hub.sync.heartbeat:10s}")
    void heartbeat() {
        if (!running) {
            return;
        }
        try {
            runs.heartbeat(List.copyOf(active.keySet()));
            abandonSilent();
        } catch (RuntimeException e) {
            log.warn("Sync heartbeat not recorded: {}", e.toString());
        }
    }

    /** Runs whose instance died: ABANDONED, and announced. */
    void abandonSilent() {
        List<SyncRun> abandoned = runs.abandonSilent(properties.abandonAfter(), List.copyOf(active.keySet()));
        if (!abandoned.isEmpty()) {
            for (SyncRun r : abandoned) {
                log.warn("Run {} ({}) ABANDONED: {}", r.id(), r.source(), r.failure());
            }
            events.publishEvent(new RunsLeft(abandoned));
        }
    }

    @Override
    public void start() {
        running = true;
        draining = false;
        try {
            abandonSilent();
        } catch (RuntimeException e) {
            log.warn("Abandoned runs not looked for at start-up: {}", e.toString());
        }
    }

    /**
     * Shutdown: no new runs; runs in progress may finish within the drain timeout; those still going then are
     * INTERRUPTED (and announced, so that any instance runs them again).
     */
    @Override
    public void stop() {
        draining = true;
        long deadline = System.nanoTime() + properties.drainTimeout().toNanos();
        synchronized (active) {
            while (!active.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    active.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<SyncRun> interrupted = new ArrayList<>();
        for (Run run : List.copyOf(active.values())) {
            try {
                run.interrupted = true;
                runs.interrupt(run.id, "the hub instance running it was shut down before it finished; it is run "
                        + "again where it has a schedule, and its batch was written in full or not at all")
                        .ifPresent(interrupted::add);
                log.warn("Run {} ({}) INTERRUPTED by shutdown", run.id, run.source);
            } catch (RuntimeException e) {
                log.error("Run {} could not be marked INTERRUPTED; it will be ABANDONED", run.id, e);
            }
        }
        if (!interrupted.isEmpty()) {
            events.publishEvent(new RunsLeft(interrupted));
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
