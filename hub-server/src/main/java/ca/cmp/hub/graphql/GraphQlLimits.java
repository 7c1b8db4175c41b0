package ca.cmp.hub.graphql;


import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.VariableReference;
import graphql.validation.ValidationError;
import graphql.schema.GraphQLTypeUtil;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.ErrorType;

/**
 * No query may take the hub down: a maximum depth, a maximum cost in which list fields count as many times as
 * they may return items ({@code first}, default 20), and a maximum number of aliased fields (alias bombs ask the
 * same expensive field hundreds of times under different names). Refused queries never start executing.
 * Document size is capped by graphql-java's parser (15,000 tokens) and time by the database's statement timeout
 * (hub.graphql.statement-timeout, applied to every pooled connection).
 */
@Configuration(proxyBeanMethods = false)
class GraphQlLimits {

    static final int UNPAGED_LIST_WEIGHT = 10;

    @ConfigurationProperties("hub.graphql")
    record Limits(int maxDepth, int maxComplexity, int maxAliases) {
    }

    /**
     * The depth and cost limits, checked once per document and per value of the variables they depend on (those
     * given as {@code first} or to {@code @skip}/{@code @include}): graphql-java's checks walk the whole query on
     * every request, about a tenth of the hub's CPU on a page of programs. A document within the limits for some
     * values is let through without walking it again for the same values; one over them is refused each time.
     */
    @Bean
    Instrumentation limits(Limits limits) {
        FieldComplexityCalculator weighted = (env, childComplexity) -> {
            Object first = env.getArguments().get("first");
            int items;
            if (first instanceof Number n) {
                items = Math.max(1, n.intValue());
            } else if (GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(env.getFieldDefinition().getType()))
                    && !env.getField().getName().equals("edges")) {
                // An unpaged list (a partnership's programs, a program's sites) may hold many items.
                items = UNPAGED_LIST_WEIGHT;
            } else {
                // Scalars, objects, and a connection's edges (already counted by its `first`).
                items = 1;
            }
            return items * (1 + childComplexity);
        };
        return new CheckedOnce(new MaxQueryDepthInstrumentation(limits.maxDepth()),
                new MaxQueryComplexityInstrumentation(limits.maxComplexity(), weighted));
    }

    static final int MAX_CHECKED = 4_000;

    /** Runs the depth and complexity instrumentations unless this document passed them with these values. */
    static final class CheckedOnce extends SimplePerformantInstrumentation {

        private record Key(Document document, String operation, List<Object> values) {
        }

        private final MaxQueryDepthInstrumentation depth;
        private final MaxQueryComplexityInstrumentation complexity;
        private final Map<Document, List<String>> governing = new ConcurrentHashMap<>();
        private final Set<Key> passed = ConcurrentHashMap.newKeySet();

        CheckedOnce(MaxQueryDepthInstrumentation depth, MaxQueryComplexityInstrumentation complexity) {
            this.depth = depth;
            this.complexity = complexity;
        }

        @Override
        public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters p) {
            return complexity.createStateAsync(p);
        }

        @Override
        public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters p,
                InstrumentationState state) {
            return complexity.beginValidation(p, state);
        }

        @Override
        public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                InstrumentationExecuteOperationParameters p, InstrumentationState state) {
            ExecutionContext context = p.getExecutionContext();
            Document document = context.getDocument();
            // Identity keys: the document cache hands out the same Document for the same text.
            List<String> names = governing.size() < MAX_CHECKED
                    ? governing.computeIfAbsent(document, CheckedOnce::governingVariables)
                    : governingVariables(document);
            List<Object> values = new ArrayList<>(names.size());
            for (String name : names) {
                values.add(context.getCoercedVariables().get(name));
            }
            Key key = new Key(document, context.getOperationDefinition().getName(), values);
            if (passed.contains(key)) {
                return SimpleInstrumentationContext.noOp();
            }
            depth.beginExecuteOperation(p, state);
            complexity.beginExecuteOperation(p, state);
            if (passed.size() < MAX_CHECKED) {
                passed.add(key);
            }
            return SimpleInstrumentationContext.noOp();
        }

        /** Variables whose values the limits depend on: those given as {@code first} or to a directive. */
        static List<String> governingVariables(Document document) {
            Set<String> names = new LinkedHashSet<>();
            collect(document, false, names);
            return List.copyOf(names);
        }

        private static void collect(Node<?> node, boolean governs, Set<String> names) {
            if (governs && node instanceof VariableReference variable) {
                names.add(variable.getName());
            }
            boolean below = governs || node instanceof Directive
                    || node instanceof Argument argument && argument.getName().equals("first");
            for (Node<?> child : node.getChildren()) {
                collect(child, below, names);
            }
        }
    }

    /**
     * Parsed and validated documents, kept by their text: clients send the same few documents with different
     * variables, and parsing plus validation was a large share of a request's cost. The alias limit is checked
     * here too, once per document. Bounded; when full, new documents are parsed without being kept.
     */
    @Bean
    GraphQlSourceBuilderCustomizer documentCache(Limits limits) {
        Map<String, PreparsedDocumentEntry> documents = new ConcurrentHashMap<>();
        PreparsedDocumentProvider provider = new PreparsedDocumentProvider() {
            @Override
            public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                    Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
                String key = input.getOperationName() + "\u0000" + input.getQuery();
                PreparsedDocumentEntry cached = documents.get(key);
                if (cached == null) {
                    cached = checkAliases(parseAndValidate.apply(input), limits.maxAliases());
                    if (documents.size() < MAX_CACHED_DOCUMENTS) {
                        documents.put(key, cached);
                    }
                }
                return CompletableFuture.completedFuture(cached);
            }
        };
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(provider));
    }

    static final int MAX_CACHED_DOCUMENTS = 2_000;

    private static PreparsedDocumentEntry checkAliases(PreparsedDocumentEntry entry, int max) {
        if (entry.hasErrors()) {
            return entry;
        }
        int aliases = countAliases(entry.getDocument().getDefinitions());
        if (aliases > max) {
            return new PreparsedDocumentEntry(GraphqlErrorBuilder.newError()
                    .message("the query uses " + aliases + " aliases; at most " + max + " are allowed")
                    .errorType(ErrorType.BAD_REQUEST).build());
        }
        return entry;
    }

    private static int countAliases(List<? extends Node> nodes) {
        int count = 0;
        for (Node<?> node : nodes) {
            if (node instanceof Field field && field.getAlias() != null) {
                count++;
            }
            count += countAliases(node.getChildren());
        }
        return count;
    }
}
