package ca.cmp.hub.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import ca.cmp.hub.security.CurrentCaller;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pushes: a partner (or an admin) publishes or retires programs of a partnership. Permission is checked here,
 * in the service, whatever door the request came through; each push is a recorded run, atomic as a whole.
 */
@Component
class ProgramPublisher {

    static final String PUSH_SOURCE = "push";

    private final SyncEngine engine;
    private final SyncRuns runs;
    private final Gate gate;
    private final TransactionTemplate transaction;
    private final SourceSync sync;

    ProgramPublisher(SyncEngine engine, SyncRuns runs, Gate gate, TransactionTemplate transaction,
            SourceSync sync) {
        this.engine = engine;
        this.runs = runs;
        this.gate = gate;
        this.transaction = transaction;
        this.sync = sync;
    }

    sealed interface Outcome permits Published, Refused {
    }

    record Published(SyncRun run) implements Outcome {
    }

    record Refused(NotAllowed refusal) implements Outcome {
    }

    Outcome publish(Partnership partnership, List<SourceProgram> programs, boolean snapshot) {
        Optional<NotAllowed> refused = gate.check(Permission.WRITE_PROGRAMS, "publishPrograms",
                partnership.getSlug());
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        if (programs.size() > ProgramValidator.MAX_BATCH) {
            return new Refused(new NotAllowed("at most " + ProgramValidator.MAX_BATCH + " programs per call, got "
                    + programs.size() + "; split the batch or register a connector"));
        }
        CurrentCaller caller = CurrentCaller.get();
        UUID run = runs.start(partnership.getId(), null, PUSH_SOURCE, snapshot, caller.subject());
        List<Integer> positions = IntStream.range(0, programs.size()).boxed().toList();
        List<String> labels = positions.stream().map(i -> "programs[" + i + "].").toList();
        return new Published(sync.apply(run, partnership.getId(), PUSH_SOURCE, null,
                new SourceBatch(programs, positions, labels, List.of(), snapshot)));
    }

    Outcome retire(Partnership partnership, List<String> sourceIds) {
        Optional<NotAllowed> refused = gate.check(Permission.WRITE_PROGRAMS, "retirePrograms",
                partnership.getSlug());
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        UUID run = runs.start(partnership.getId(), null, PUSH_SOURCE, false, CurrentCaller.get().subject());
        try {
            List<String> missing = new ArrayList<>();
            int retired = transaction.execute(s -> {
                missing.addAll(engine.missingOrRetired(partnership.getId(), sourceIds));
                return engine.retire(run, partnership.getId(), sourceIds);
            });
            List<Rejection> unknown = new ArrayList<>();
            for (String id : missing) {
                int position = sourceIds.indexOf(id);
                unknown.add(new Rejection(position, id, "sourceIds[" + position + "]",
                        "no active program of this partnership has this source id"));
            }
            runs.succeed(run, sourceIds.size(), new SyncEngine.Merge(0, 0, 0, retired), unknown);
        } catch (RuntimeException e) {
            runs.fail(run, sourceIds.size(), e.getMessage(), List.of());
            throw e;
        }
        return new Published(runs.find(run).orElseThrow());
    }
}
