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
 * The work of a run, without its record (that is {@link SyncRunner}'s): what a source gave (a push, a connector's
 * read, the demo) validated, the valid records merged in a single transaction (all or nothing), and each rejected
 * record named in source order; or named source ids retired.
 */
@Component
class SourceSync implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SourceSync.class);

    private final SyncEngine engine;
    private final TransactionTemplate transaction;
    /** Threads that read ahead what a partnership holds while its source is parsed (blocking JDBC). */
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sync-read-ahead");
        t.setDaemon(true);
        return t;
    });

    SourceSync(SyncEngine engine, TransactionTemplate transaction) {
        this.engine = engine;
        this.transaction = transaction;
    }

    @Override
    public void destroy() {
        readers.shutdownNow();
    }

    /** What a run did: its records read, what the merge did, the records rejected, the revision it left. */
    record Applied(int read, SyncEngine.Merge merge, List<Rejection> rejected, Long revision, String phases) {
    }

    /** The merge failed, so nothing was written; the records read and rejected are still the run's to report. */
    static final class MergeFailed extends RuntimeException {
        final int read;
        final transient List<Rejection> rejected;

        MergeFailed(int read, List<Rejection> rejected, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.read = read;
            this.rejected = rejected;
        }
    }

    /**
     * Reads the batch, reading meanwhile, on another thread and connection, what the partnership holds (the merge
     * then need not: on a re-sync of 60,000 programs that is 70–170 ms hidden behind the parse), then applies it.
     */
    Applied apply(UUID run, UUID partnershipId, String source, UUID connectorId, SyncRunner.BatchRead read)
            throws ConnectorException {
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
        return apply(run, partnershipId, source, connectorId, batch, held);
    }

    Applied apply(UUID run, UUID partnershipId, String source, UUID connectorId, SourceBatch batch,
            StoredPrograms.Held ahead) {
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
                        batch.complete(), listed, batch.retired(), ahead, phases);
                revision[0] = engine.programsRevision(partnershipId);
                return m;
            });
            phases.mark("commit");
            return new Applied(read, merge, rejected, revision[0], phases.toString());
        } catch (RuntimeException e) {
            throw new MergeFailed(read, rejected, e);
        }
    }

    /**
     * Retires the named programs (of any source) in one transaction. A source id that cannot be one (blank, too
     * long, with control characters) or that names no active program is a rejection naming its place.
     */
    Applied retire(UUID run, UUID partnershipId, List<String> sourceIds) {
        List<Rejection> rejected = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < sourceIds.size(); i++) {
            String id = sourceIds.get(i);
            String problem = id == null || id.isBlank() ? "is required"
                    : Printable.firstForbidden(id) >= 0 ? "contains a control character"
                    : id.length() > 200 ? "is " + id.length() + " characters; a source id has at most 200" : null;
            if (problem != null) {
                rejected.add(new Rejection(i, id, "sourceIds[" + i + "]", problem));
            } else {
                wanted.add(id);
                positions.add(i);
            }
        }
        try {
            List<String> missing = new ArrayList<>();
            int retired = transaction.execute(s -> {
                missing.addAll(engine.missingOrRetired(partnershipId, wanted));
                return engine.retire(run, partnershipId, wanted);
            });
            for (String id : missing) {
                int position = positions.get(wanted.indexOf(id));
                rejected.add(new Rejection(position, id, "sourceIds[" + position + "]",
                        "no active program of this partnership has this source id"));
            }
            rejected.sort(Comparator.comparingInt(Rejection::position));
            return new Applied(sourceIds.size(), new SyncEngine.Merge(0, 0, 0, retired), rejected, null, "");
        } catch (RuntimeException e) {
            throw new MergeFailed(sourceIds.size(), rejected, e);
        }
    }
}
