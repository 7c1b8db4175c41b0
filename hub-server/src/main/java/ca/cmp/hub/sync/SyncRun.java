package ca.cmp.hub.sync;

import java.time.Instant;
import java.util.UUID;

/** A recorded sync run (a push or a connector pull) with its counts. */
public record SyncRun(UUID id, UUID partnershipId, UUID connectorId, String source, String mode, String status,
        Instant startedAt, Instant finishedAt, Counts counts, String failure) {

    public record Counts(int read, int inserted, int updated, int unchanged, int retired, int rejected) {
    }
}
