package ca.cmp.hub.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * No query may take the hub down: a maximum depth, a maximum cost of the executed selection (see
 * {@link QueryBudget}: list fields count as many times as they may return items), and a maximum number of
 * aliased fields as executed (alias bombs ask the same expensive field hundreds of times under different names).
 * Refused queries never start executing. The request body is capped ({@link GraphQlRequestCheck}), the document by
 * graphql-java's parser (15,000 tokens) and time by the database's statement timeout
 * (hub.graphql.statement-timeout, applied to every pooled connection).
 */
@Configuration(proxyBeanMethods = false)
class GraphQlLimits {

    /** Who may introspect the schema and open GraphiQL. */
    enum Explorer {
        /** Everyone, anonymous callers included: development and open-data deployments. */
        PUBLIC,
        /** Callers with a valid token; GraphiQL is served, and works once a token is set in its headers. */
        AUTHENTICATED,
        /** Nobody: introspection is refused and /graphiql is not served. */
        OFF
    }

    /**
     * @param maxDepth           deepest selection allowed
     * @param maxComplexity      highest cost allowed (see {@link QueryBudget})
     * @param maxAliases         most aliased fields in the executed selection
     * @param maxRequestSize     largest request body accepted (a push of 10,000 programs is about 5 MB)
     * @param documentCacheSize  weight of the parsed-document cache, estimated from the documents' text
     * @param explorer           who may introspect and use GraphiQL
     */
    @ConfigurationProperties("hub.graphql")
    record Limits(int maxDepth, int maxComplexity, int maxAliases,
            @DefaultValue("12MB") DataSize maxRequestSize,
            @DefaultValue("16MB") DataSize documentCacheSize,
            @DefaultValue("AUTHENTICATED") Explorer explorer) {
    }

    /** The depth limit and the cost budget, walked once per document and per value they depend on. */
    @Bean
    PassedLimits passedLimits(Limits limits) {
        MaxQueryDepthInstrumentation depth = new MaxQueryDepthInstrumentation(limits.maxDepth()) {
            @Override
            protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
                return QueryBudget.refuse("query", "maximum query depth exceeded: the query is " + depth
                        + " fields deep, at most " + maxDepth + " are allowed");
            }
        };
        return new PassedLimits(depth, new QueryBudget(limits.maxComplexity(), limits.maxAliases(),
                limits.explorer()));
    }

    /**
     * Parsed and validated documents, kept by their text: clients send the same few documents with different
     * variables, and parsing plus validation was a large share of a request's cost. Only documents that passed
     * validation are kept, in a cache bounded by weight (a parsed document retains about twice its text), least
     * recently used first out; the budget applies to every execution, cached or not ({@link PassedLimits}).
     */
    @Bean
    DocumentCache documentCache(Limits limits) {
        return new DocumentCache(limits.documentCacheSize().toBytes());
    }

    @Bean
    GraphQlSourceBuilderCustomizer cachedDocuments(DocumentCache documents) {
        PreparsedDocumentProvider provider = new PreparsedDocumentProvider() {
            @Override
            public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                    Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
                String key = input.getOperationName() + "\u0000" + input.getQuery();
                PreparsedDocumentEntry cached = documents.get(key);
                if (cached == null) {
                    cached = parseAndValidate.apply(input);
                    if (!cached.hasErrors()) {
                        documents.put(key, cached);
                    }
                }
                return CompletableFuture.completedFuture(cached);
            }
        };
        return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(provider));
    }
}
