package ca.cmp.hub.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies what a source gave (a push or a connector's read) to a partnership's programs as one run: every record
 * validated, the valid ones merged in a single transaction (all or nothing), and the run recorded either way
 * with its counts and each rejected record in source order.
 */
@Component
public class SourceSync implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SourceSync.class);

    private final SyncEngine engine;
    private final SyncRuns runs;
    private final TransactionTemplate transaction;
    /** Threads that read ahead what a partnership holds while its source is parsed (blocking JDBC). */
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sync-read-ahead");
        t.setDaemon(true);
        return t;
    });

    SourceSync(SyncEngine engine, SyncRuns runs, TransactionTemplate transaction) {
        this.engine = engine;
        this.runs = runs;
        this.transaction = transaction;
    }

    @Override
    public void destroy() {
        readers.shutdownNow();
    }

    /**
     * @param source      the provenance label written on the programs; a complete batch retires the programs of
     *                    this label that it no longer lists
     * @param connectorId the connector that read the batch, or null for a push
     */
    public SyncRun apply(UUID run, UUID partnershipId, String source, UUID connectorId, SourceBatch batch) {
        return apply(run, partnershipId, source, connectorId, batch, null, null);
    }

    /** Reads a source's batch (a connector's parse), or fails as a whole. */
    public interface BatchRead {
        SourceBatch read() throws ConnectorException;
    }

    /**
     * Reads the batch, reading meanwhile, on another thread and connection, what the partnership holds (the merge
     * then need not: on a re-sync of 60,000 programs that is 70–170 ms hidden behind the parse), then applies it.
     *
     * @param digest the read document's {@code DocumentDigest}, recorded with the run; null when not one document
     */
    public SyncRun apply(UUID run, UUID partnershipId, String source, UUID connectorId, BatchRead read,
            String digest) throws ConnectorException {
        CompletableFuture<StoredPrograms.Held> ahead = CompletableFuture.supplyAsync(
                () -> engine.readAhead(partnershipId, source), readers);
        SourceBatch batch;
        try {
            batch = read.read();
        } catch (ConnectorException | RuntimeException e) {
            ahead.cancel(false);
            throw e;
        }
        StoredPrograms.Held held;
        try {
            held = ahead.join();
        } catch (CompletionException | CancellationException e) {
            log.warn("Run {}: reading ahead what partnership {} holds failed; the merge reads it", run,
                    partnershipId, e);
            held = null;
        }
        return apply(run, partnershipId, source, connectorId, batch, digest, held);
    }

    private SyncRun apply(UUID run, UUID partnershipId, String source, UUID connectorId, SourceBatch batch,
            String digest, StoredPrograms.Held ahead) {
        Phases phases = new Phases();
        ProgramValidator.Result valid = ProgramValidator.validate(batch.programs(), i -> batch.labels().get(i));
        phases.mark("validate");
        List<Rejection> rejected = new ArrayList<>(batch.problems().size() + valid.rejected().size());
        for (SourceProblem p : batch.problems()) {
            rejected.add(new Rejection(p.position(), p.sourceId(), p.field(), p.reason()));
        }
        for (Rejection r : valid.rejected()) {
            rejected.add(new Rejection(batch.positions().get(r.position()), r.sourceId(), r.field(), r.reason()));
        }
        rejected.sort(Comparator.comparingInt(Rejection::position));
        int read = batch.recordsRead();
        try {
            // A rejected record was still listed: a snapshot does not retire it for being invalid this time.
            List<String> listed = rejected.stream().map(Rejection::sourceId).filter(Objects::nonNull).toList();
            long[] revision = new long[1];
            SyncEngine.Merge merge = transaction.execute(s -> {
                SyncEngine.Merge m = engine.merge(run, partnershipId, source, connectorId, valid.accepted(),
                        batch.complete(), listed, ahead, phases);
                revision[0] = engine.programsRevision(partnershipId);
                return m;
            });
            phases.mark("commit");
            runs.succeed(run, read, merge, rejected, digest, revision[0]);
            log.info("Run {} ({}): read {}, inserted {}, updated {}, unchanged {}, retired {}, rejected {} "
                    + "({})", run, source, read, merge.inserted(), merge.updated(), merge.unchanged(), merge.retired(),
                    rejected.size(), phases);
        } catch (RuntimeException e) {
            log.error("Run {} ({}) failed; nothing was written", run, source, e);
            runs.fail(run, read, "the batch could not be written (" + e.getClass().getSimpleName()
                    + "); nothing was changed", rejected);
        }
        return runs.find(run).orElseThrow();
    }
}
