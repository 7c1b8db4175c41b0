package ca.cmp.hub.sync;

/** The SDL's {@code SyncReport}: a push's or a connector run's recorded outcome, as its payload answers it. */
public record SyncReport(SyncRun run) {
}
