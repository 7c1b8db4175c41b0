package ca.cmp.hub.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLAppliedDirectiveArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import org.springframework.graphql.execution.ErrorType;

/**
 * The cost limit, applied to the selection as it will execute (fragments expanded, aliases multiplied, variables
 * bound), on every execution whether the document was cached or not. In this order, each refusing before the next:
 *
 * <ol>
 * <li>introspection, unless the {@link GraphQlLimits.Explorer explorer setting} lets this caller;</li>
 * <li>every slicing argument ({@code first}) within the bounds its field's {@code @listSize} declares: a cost is
 * only meaningful over arguments the fields would accept;</li>
 * <li>the number of aliased fields executed (a fragment with aliases counts once per place it is spread);</li>
 * <li>the cost: each field costs {@code items × (1 + its children's cost)}, where items is its slicing argument,
 * its {@code @listSize(assumedSize)}, {@value #UNPAGED_LIST_WEIGHT} for another list and 1 for anything else, in
 * saturating 64-bit arithmetic (a huge {@code first} must not wrap the total negative).</li>
 * </ol>
 */
public class QueryBudget extends SimplePerformantInstrumentation {

    static final int UNPAGED_LIST_WEIGHT = 10;

    /** GraphQL context key: whether the caller presented a valid token (set per HTTP request). */
    public static final String AUTHENTICATED = QueryBudget.class.getName() + ".authenticated";

    private final long maxCost;
    private final int maxAliases;
    private final GraphQlLimits.Explorer explorer;

    QueryBudget(long maxCost, int maxAliases, GraphQlLimits.Explorer explorer) {
        this.maxCost = maxCost;
        this.maxAliases = maxAliases;
        this.explorer = explorer;
    }

    @Override
    public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        ExecutableNormalizedOperation operation = execution.getNormalizedQueryTree().get();
        GraphQLSchema schema = execution.getGraphQLSchema();
        List<ExecutableNormalizedField> roots = operation.getTopLevelFields();
        // The federation SDL (_service) is the whole schema: it is introspection too.
        if (roots.stream().anyMatch(f -> f.getName().equals("__schema") || f.getName().equals("__type")
                || f.getName().equals("_service"))
                && !introspectionAllowed(Boolean.TRUE.equals(execution.getGraphQLContext().get(AUTHENTICATED)))) {
            throw refuse("query", explorer == GraphQlLimits.Explorer.OFF
                    ? "introspection is turned off on this hub (hub.graphql.explorer)"
                    : "introspection needs a token on this hub (hub.graphql.explorer)");
        }
        List<GraphQLError> outOfBounds = new ArrayList<>();
        int[] aliases = {0};
        for (ExecutableNormalizedField root : roots) {
            root.traverseSubTree(f -> {
                if (f.getAlias() != null && !f.getAlias().equals(f.getName())) {
                    aliases[0]++;
                }
                checkBounds(schema, f, outOfBounds);
            });
            if (root.getAlias() != null && !root.getAlias().equals(root.getName())) {
                aliases[0]++;
            }
            checkBounds(schema, root, outOfBounds);
        }
        if (!outOfBounds.isEmpty()) {
            throw new AbortExecutionException(outOfBounds);
        }
        if (aliases[0] > maxAliases) {
            throw refuse("query", "the query uses " + aliases[0] + " aliases; at most " + maxAliases
                    + " are allowed");
        }
        long cost = 0;
        for (ExecutableNormalizedField root : roots) {
            cost = add(cost, cost(schema, root));
        }
        if (cost > maxCost) {
            throw refuse("query", "maximum query complexity exceeded: the query costs "
                    + (cost == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : cost) + ", at most " + maxCost
                    + " is allowed (lists count once per item they may return: lower `first`, or ask less)");
        }
        return super.beginExecuteOperation(parameters, state);
    }

    boolean introspectionAllowed(boolean authenticated) {
        return switch (explorer) {
            case PUBLIC -> true;
            case AUTHENTICATED -> authenticated;
            case OFF -> false;
        };
    }

    private static long cost(GraphQLSchema schema, ExecutableNormalizedField field) {
        long children = 0;
        for (ExecutableNormalizedField child : field.getChildren()) {
            children = add(children, cost(schema, child));
        }
        return multiply(items(schema, field), add(1, children));
    }

    /** How many items the field may return, the most over the types it is selected on. */
    private static long items(GraphQLSchema schema, ExecutableNormalizedField field) {
        long most = 1;
        for (GraphQLFieldDefinition definition : field.getFieldDefinitions(schema)) {
            ListSize size = ListSize.of(definition);
            long items;
            if (size != null && size.slicing() != null) {
                Object given = field.getResolvedArguments().get(size.slicing());
                items = given instanceof Number n ? Math.max(1, n.longValue()) : size.maximum();
            } else if (size != null && size.assumed() != null) {
                items = size.assumed();
            } else if (field.getName().equals("_entities")
                    && field.getResolvedArguments().get("representations") instanceof List<?> representations) {
                // A gateway's entity fetch returns one item per representation it sends.
                items = Math.max(1, representations.size());
            } else if (GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(definition.getType()))
                    && !field.getName().equals("edges")) {
                items = UNPAGED_LIST_WEIGHT;
            } else {
                // Scalars, objects, and a connection's edges (already counted by its `first`).
                items = 1;
            }
            most = Math.max(most, items);
        }
        return most;
    }

    private static void checkBounds(GraphQLSchema schema, ExecutableNormalizedField field, List<GraphQLError> errors) {
        for (GraphQLFieldDefinition definition : field.getFieldDefinitions(schema)) {
            ListSize size = ListSize.of(definition);
            if (size == null || size.slicing() == null) {
                continue;
            }
            Object given = field.getResolvedArguments().get(size.slicing());
            if (given instanceof Number n && (n.longValue() < 1 || n.longValue() > size.maximum())) {
                errors.add(GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST)
                        .message(size.slicing() + ": must be from 1 to " + size.maximum() + ", got " + n)
                        .extensions(Map.of("argument", size.slicing(), "field", path(field))).build());
                return;
            }
        }
    }

    private static String path(ExecutableNormalizedField field) {
        return field.getParent() == null ? field.getResultKey() : path(field.getParent()) + "." + field.getResultKey();
    }

    static AbortExecutionException refuse(String argument, String message) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().errorType(ErrorType.BAD_REQUEST)
                .message(message).extensions(Map.of("argument", argument)).build()));
    }

    static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    static long multiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    /** A field's {@code @listSize}: its slicing argument and that argument's maximum, or its assumed size. */
    record ListSize(String slicing, long maximum, Long assumed) {

        static ListSize of(GraphQLFieldDefinition definition) {
            GraphQLAppliedDirective directive = definition.getAppliedDirective("listSize");
            if (directive == null) {
                return null;
            }
            List<String> slicing = value(directive, "slicingArguments");
            Number maximum = value(directive, "maximum");
            Number assumed = value(directive, "assumedSize");
            return new ListSize(slicing == null || slicing.isEmpty() ? null : slicing.get(0),
                    maximum == null ? Integer.MAX_VALUE : maximum.longValue(),
                    assumed == null ? null : assumed.longValue());
        }

        private static <T> T value(GraphQLAppliedDirective directive, String name) {
            GraphQLAppliedDirectiveArgument argument = directive.getArgument(name);
            return argument == null ? null : argument.getValue();
        }
    }
}
