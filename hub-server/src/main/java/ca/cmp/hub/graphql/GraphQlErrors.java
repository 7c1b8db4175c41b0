package ca.cmp.hub.graphql;

import java.util.Map;
import java.util.UUID;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * The one place where exceptions become GraphQL errors. Expected business outcomes are not exceptions (they are
 * payload unions in the schema); what arrives here is either a bad argument, reported with its path, or a fault,
 * reported with a reference to the log line and nothing of the internals.
 */
@Component
class GraphQlErrors extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);

    GraphQlErrors() {
        setThreadLocalContextAware(false);
    }

    @Override
    protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (ex instanceof InvalidArgumentException invalid) {
            return GraphqlErrorBuilder.newError(env)
                    .errorType(ErrorType.BAD_REQUEST)
                    .message(invalid.getMessage())
                    .extensions(Map.of("argument", invalid.argument()))
                    .build();
        }
        if (ex instanceof AccessDeniedException denied) {
            return GraphqlErrorBuilder.newError(env)
                    .errorType(ErrorType.FORBIDDEN)
                    .message(denied.getMessage())
                    .build();
        }
        String reference = UUID.randomUUID().toString();
        log.error("GraphQL field {} failed (reference {})", env.getExecutionStepInfo().getPath(), reference, ex);
        return GraphqlErrorBuilder.newError(env)
                .errorType(ErrorType.INTERNAL_ERROR)
                .message("Internal error; reference " + reference)
                .extensions(Map.of("reference", reference))
                .build();
    }
}
