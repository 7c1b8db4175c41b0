package ca.cmp.hub.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * A recorded sync run (a push or a connector pull) with its counts.
 *
 * @param sameDocumentAs the earlier run whose document this one found unchanged, and whose outcome it applied
 *                       without reading the records again; null when the records were read
 */
public record SyncRun(UUID id, UUID partnershipId, UUID connectorId, String source, String mode, String status,
        Instant startedAt, Instant finishedAt, Counts counts, String failure, UUID sameDocumentAs) {

    public record Counts(int read, int inserted, int updated, int unchanged, int retired, int rejected) {
    }
}
