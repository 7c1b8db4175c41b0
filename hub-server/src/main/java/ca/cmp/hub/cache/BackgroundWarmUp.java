package ca.cmp.hub.cache;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One background task, run on its own daemon thread when asked and at most once per burst of asks: a warm-up that
 * runs at start-up and a few seconds after data changes, so a sync writing in many transactions warms once after
 * them, not once per transaction. An ask while a run is scheduled but not started joins it; one after it started
 * schedules the next.
 */
public final class BackgroundWarmUp implements AutoCloseable {

    private final Runnable task;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService executor;

    /** @param threadName names the thread in thread dumps and logs */
    public BackgroundWarmUp(String threadName, Runnable task) {
        this.task = task;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the task after {@code delaySeconds}, unless a run is already waiting to start. */
    public void schedule(long delaySeconds) {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        executor.schedule(() -> {
            pending.set(false);
            task.run();
        }, delaySeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
