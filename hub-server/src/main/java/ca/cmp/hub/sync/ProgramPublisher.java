package ca.cmp.hub.sync;

import java.util.List;
import java.util.Optional;

import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import ca.cmp.hub.security.CurrentCaller;
import org.springframework.stereotype.Component;

/**
 * Pushes: a partner (or an admin) publishes or retires programs of a partnership. Permission is checked here,
 * in the service, whatever door the request came through; each push is a run of {@link SyncRunner}, atomic as a
 * whole.
 */
@Component
class ProgramPublisher {

    static final String PUSH_SOURCE = "push";

    private final SyncRunner runner;
    private final Gate gate;

    ProgramPublisher(SyncRunner runner, Gate gate) {
        this.runner = runner;
        this.gate = gate;
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
            // A limit of the call, not a permission: a bad request, not audited as a refusal; no run is started.
            throw new InvalidArgumentException("programs", "at most " + ProgramValidator.MAX_BATCH
                    + " programs per call, got " + programs.size() + "; split the batch or register a connector");
        }
        return new Published(runner.publish(partnership.getId(), PUSH_SOURCE, programs, snapshot,
                CurrentCaller.get().subject(), "programs"));
    }

    Outcome retire(Partnership partnership, List<String> sourceIds) {
        Optional<NotAllowed> refused = gate.check(Permission.WRITE_PROGRAMS, "retirePrograms",
                partnership.getSlug());
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        if (sourceIds.size() > ProgramValidator.MAX_BATCH) {
            throw new InvalidArgumentException("sourceIds", "at most " + ProgramValidator.MAX_BATCH
                    + " source ids per call, got " + sourceIds.size() + "; split the list");
        }
        try (SyncRunner.Run run = runner.begin(partnership.getId(), null, PUSH_SOURCE, false,
                CurrentCaller.get().subject())) {
            return new Published(run.retire(sourceIds));
        }
    }
}
