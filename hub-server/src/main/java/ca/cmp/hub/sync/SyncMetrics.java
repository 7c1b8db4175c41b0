package ca.cmp.hub.sync;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Sync runs as metrics, recorded where {@link SyncRuns} writes their outcome: {@code hub.sync.run} (a timer: count
 * and duration by outcome, {@code succeeded}, {@code unchanged} (a document already applied), {@code failed}; and by
 * trigger, {@code connector} or {@code push}), {@code hub.sync.records} (records by what became of them) and
 * {@code hub.connector.failures} (failed connector runs). A run that this instance did not start (none does
 * today) is left out of the timer, whose count would otherwise mix in runs without a duration.
 */
@Component
class SyncMetrics {

    private record Started(long nanos, boolean connector) {
    }

    private final MeterRegistry meters;
    private final Map<UUID, Started> running = new ConcurrentHashMap<>();
    private final Counter connectorFailures;

    SyncMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.connectorFailures = Counter.builder("hub.connector.failures")
                .description("Connector runs that failed (source unreachable or invalid, or no worker free)")
                .register(meters);
    }

    void started(UUID run, UUID connectorId) {
        running.put(run, new Started(System.nanoTime(), connectorId != null));
    }

    void finished(UUID run, String outcome, SyncRun.Counts counts) {
        Started started = running.remove(run);
        boolean connector = started == null || started.connector();
        Timer timer = Timer.builder("hub.sync.run").description("Sync runs by outcome, with their durations")
                .tag("outcome", outcome).tag("trigger", connector ? "connector" : "push")
                .publishPercentileHistogram().register(meters);
        if (started != null) {
            timer.record(Duration.ofNanos(System.nanoTime() - started.nanos()));
        }
        if ("failed".equals(outcome) && connector) {
            connectorFailures.increment();
        }
        records("read", counts.read());
        records("inserted", counts.inserted());
        records("updated", counts.updated());
        records("unchanged", counts.unchanged());
        records("retired", counts.retired());
        records("rejected", counts.rejected());
    }

    private void records(String fate, int n) {
        if (n > 0) {
            Counter.builder("hub.sync.records").description("Records read by sync runs, by what became of them")
                    .tag("fate", fate).register(meters).increment(n);
        }
    }
}
