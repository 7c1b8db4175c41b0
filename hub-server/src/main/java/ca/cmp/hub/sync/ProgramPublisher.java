package ca.cmp.hub.sync;

import java.util.List;

import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.AccessAudit;
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
    private final AccessAudit audit;

    ProgramPublisher(SyncRunner runner, AccessAudit audit) {
        this.runner = runner;
        this.audit = audit;
    }

    sealed interface Outcome permits Published, Refused {
    }

    record Published(SyncRun run) implements Outcome {
    }

    record Refused(String message) implements Outcome {
    }

    Outcome publish(Partnership partnership, List<SourceProgram> programs, boolean snapshot) {
        Refused refused = checkWrite(partnership, "publishPrograms");
        if (refused != null) {
            return refused;
        }
        if (programs.size() > ProgramValidator.MAX_BATCH) {
            return new Refused("at most " + ProgramValidator.MAX_BATCH + " programs per call, got " + programs.size()
                    + "; split the batch or register a connector");
        }
        return new Published(runner.publish(partnership.getId(), PUSH_SOURCE, programs, snapshot,
                CurrentCaller.get().subject(), "programs"));
    }

    Outcome retire(Partnership partnership, List<String> sourceIds) {
        Refused refused = checkWrite(partnership, "retirePrograms");
        if (refused != null) {
            return refused;
        }
        try (SyncRunner.Run run = runner.begin(partnership.getId(), null, PUSH_SOURCE, false,
                CurrentCaller.get().subject())) {
            return new Published(run.retire(sourceIds));
        }
    }

    private Refused checkWrite(Partnership partnership, String action) {
        CurrentCaller caller = CurrentCaller.get();
        if (caller.mayWrite(partnership.getSlug())) {
            return null;
        }
        String message = caller.isAnonymous() ? "publishing needs a partner token for " + partnership.getSlug()
                : "this token may not change the records of " + partnership.getSlug();
        audit.refused(caller, action, "partnership:" + partnership.getSlug(), message);
        return new Refused(message);
    }
}
