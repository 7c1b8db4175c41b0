package ca.cmp.hub.sync;

import java.util.StringJoiner;

/**
 * Wall-clock time of the named steps of one run (read, validate, COPY, each merge statement), logged as one line
 * so that the ingest benchmark shows where a run's time goes without a profiler. Not thread-safe: one per run.
 */
final class Phases {

    private final StringJoiner line = new StringJoiner(", ");
    private long last = System.nanoTime();

    /** Ends the step running since the previous mark (or since creation) under this name. */
    void mark(String step) {
        long now = System.nanoTime();
        line.add(step + " " + (now - last) / 1_000_000 + " ms");
        last = now;
    }

    @Override
    public String toString() {
        return line.toString();
    }
}
