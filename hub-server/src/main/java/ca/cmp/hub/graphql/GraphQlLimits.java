package ca.cmp.hub.graphql;


import graphql.ExecutionResult;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.AstTransformer;
import graphql.schema.GraphQLTypeUtil;
import graphql.language.Field;
import graphql.language.NodeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

    @Bean
    SimplePerformantInstrumentation maxAliases(Limits limits) {
        return new SimplePerformantInstrumentation() {
            @Override
            public InstrumentationContext<ExecutionResult> beginExecuteOperation(
                    InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
                int[] aliases = {0};
                new AstTransformer().transform(parameters.getExecutionContext().getDocument(), new NodeVisitorStub() {
                    @Override
                    public TraversalControl visitField(Field field, TraverserContext<graphql.language.Node> context) {
                        if (field.getAlias() != null) {
                            aliases[0]++;
                        }
                        return TraversalControl.CONTINUE;
                    }
                });
                if (aliases[0] > limits.maxAliases()) {
                    throw new AbortExecutionException("the query uses " + aliases[0] + " aliases; at most "
                            + limits.maxAliases() + " are allowed");
                }
                return SimpleInstrumentationContext.noOp();
            }
        };
    }

}
