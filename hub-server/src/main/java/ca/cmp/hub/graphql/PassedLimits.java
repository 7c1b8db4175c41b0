package ca.cmp.hub.graphql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Node;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;

/**
 * The depth limit and {@link QueryBudget}, walked once per document and per value of what they depend on: the
 * caller's right to introspect and the variables given to a slicing argument ({@code first}), to
 * {@code representations} (by its length) or to a directive ({@code @skip}/{@code @include}). Walking the query
 * and building its normalized operation took a tenth or more of the hub's CPU on a page of programs, and clients
 * send the same few documents with other variables. A document that passed for these values is let through
 * without walking it again; one that failed is walked, and refused, every time.
 *
 * <p>Documents are held weakly, by identity: the {@link DocumentCache} hands out one {@link Document} per text, so
 * a document it evicts takes its memo with it, and one parsed for a single request is never matched again.
 */
final class PassedLimits extends SimplePerformantInstrumentation {

    /** Value combinations kept per document: beyond this, others are walked every time. */
    static final int MAX_PER_DOCUMENT = 64;

    private record Passed(String operation, boolean authenticated, List<Object> values) {
    }

    /** What a document's limits depend on, and the combinations that passed. */
    private record Memo(List<String> governing, Set<Passed> passed) {
    }

    private final SimplePerformantInstrumentation depth;
    private final QueryBudget budget;
    private final Map<Document, Memo> memos = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile SlicingNames slicing;

    PassedLimits(SimplePerformantInstrumentation depth, QueryBudget budget) {
        this.depth = depth;
        this.budget = budget;
    }

    /** The argument names that change a cost, for one schema. */
    private record SlicingNames(GraphQLSchema schema, Set<String> names) {
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        Document document = execution.getDocument();
        Memo memo = memos.computeIfAbsent(document, d -> new Memo(governingVariables(d, slicingNames(execution)),
                Collections.synchronizedSet(new HashSet<>())));
        List<Object> values = new ArrayList<>(memo.governing().size());
        for (String name : memo.governing()) {
            Object value = execution.getCoercedVariables().get(name);
            values.add(value instanceof List<?> list ? list.size() : value);
        }
        Passed key = new Passed(execution.getOperationDefinition().getName(),
                Boolean.TRUE.equals(execution.getGraphQLContext().get(QueryBudget.AUTHENTICATED)), values);
        if (!memo.passed().contains(key)) {
            // Either refuses by throwing, as each does alone.
            depth.beginExecuteOperation(parameters, state);
            budget.beginExecuteOperation(parameters, state);
            if (memo.passed().size() < MAX_PER_DOCUMENT) {
                memo.passed().add(key);
            }
        }
        return super.beginExecuteOperation(parameters, state);
    }

    private Set<String> slicingNames(ExecutionContext execution) {
        GraphQLSchema schema = execution.getGraphQLSchema();
        SlicingNames known = slicing;
        if (known == null || known.schema() != schema) {
            known = new SlicingNames(schema, slicingArguments(schema));
            slicing = known;
        }
        return known.names();
    }

    /** Every slicing argument a {@code @listSize} names in the schema, and {@code representations}. */
    static Set<String> slicingArguments(GraphQLSchema schema) {
        Set<String> names = new HashSet<>();
        names.add("representations");
        for (var type : schema.getAllTypesAsList()) {
            if (type instanceof GraphQLFieldsContainer container) {
                for (GraphQLFieldDefinition field : container.getFieldDefinitions()) {
                    QueryBudget.ListSize size = QueryBudget.ListSize.of(field);
                    if (size != null && size.slicing() != null) {
                        names.add(size.slicing());
                    }
                }
            }
        }
        return Set.copyOf(names);
    }

    /**
     * Variables the limits depend on, in document order: those given (anywhere inside the value) to an argument
     * named in {@code slicing} or to a directive.
     */
    static List<String> governingVariables(Document document, Set<String> slicing) {
        Set<String> names = new LinkedHashSet<>();
        collect(document, false, slicing, names);
        return List.copyOf(names);
    }

    private static void collect(Node<?> node, boolean governs, Set<String> slicing, Set<String> names) {
        if (governs && node instanceof VariableReference variable) {
            names.add(variable.getName());
        }
        boolean below = governs || node instanceof Directive
                || node instanceof Argument argument && slicing.contains(argument.getName());
        for (Node<?> child : node.getChildren()) {
            collect(child, below, slicing, names);
        }
    }
}
