package ca.cmp.hub.replica;

import ca.cmp.hub.security.CurrentCaller;
import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;

/**
 * Chooses, once per GraphQL operation, where its statements go: a query goes to the replica when the replica is
 * healthy and has replayed both the caller's own last write and the last data change (see {@link WriteMarks});
 * otherwise, and for every mutation, to the primary. A mutation by a caller with a token records the primary's
 * WAL position for that caller when it completes. Data fetchers run on the operation's thread (the hub's
 * controllers are synchronous); anything run elsewhere finds no choice and uses the primary.
 */
class ReplicaReads extends SimplePerformantInstrumentation {

    private final ReplicaMonitor monitor;
    private final WriteMarks marks;

    ReplicaReads(ReplicaMonitor monitor, WriteMarks marks) {
        this.monitor = monitor;
        this.marks = marks;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        OperationDefinition.Operation operation = parameters.getExecutionContext().getOperationDefinition()
                .getOperation();
        CurrentCaller caller = CurrentCaller.get();
        if (operation == OperationDefinition.Operation.QUERY) {
            // Asks Redis only while the replica is usable at all.
            boolean replica = monitor.usable() && monitor.hasReplayed(marks.required(caller.subject()));
            ReadRouting.choose(replica ? ReadRouting.Target.REPLICA : ReadRouting.Target.PRIMARY);
            return SimpleInstrumentationContext.whenCompleted((result, error) -> ReadRouting.clear());
        }
        // Always set, so a choice left on a pooled thread can never send a mutation's reads to the replica.
        ReadRouting.choose(ReadRouting.Target.PRIMARY);
        return SimpleInstrumentationContext.whenCompleted((result, error) -> {
            ReadRouting.clear();
            if (!caller.isAnonymous()) {
                marks.callerWrote(caller.subject());
            }
        });
    }
}
