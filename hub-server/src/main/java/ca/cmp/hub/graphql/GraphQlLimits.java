package ca.cmp.hub.graphql;


import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Field;
import graphql.language.Node;
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

    @Bean
    MaxQueryDepthInstrumentation maxDepth(Limits limits) {
        return new MaxQueryDepthInstrumentation(limits.maxDepth());
    }

    @Bean
    MaxQueryComplexityInstrumentation maxComplexity(Limits limits) {
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
        return new MaxQueryComplexityInstrumentation(limits.maxComplexity(), weighted);
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
