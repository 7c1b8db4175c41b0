package ca.cmp.hub.graphql;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.UUID;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The one place where exceptions become GraphQL errors. Expected business outcomes are not exceptions (they are
 * payload unions in the schema); what arrives here is either a bad argument, reported with its path, the database
 * out of reach (a condition to retry, said so), or a fault, reported with a reference to the log line and nothing
 * of the internals.
 */
@Component
class GraphQlErrors extends DataFetcherExceptionResolverAdapter {

    private static final Logger log = LoggerFactory.getLogger(GraphQlErrors.class);
    /** The database could not be reached or went away: transient, the caller may try again. */
    static final ErrorClassification UNAVAILABLE = ErrorClassification.errorClassification("UNAVAILABLE");

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
        if (databaseUnreachable(ex)) {
            // One line, no stack: an outage makes many of these, and the pool's own log says why.
            log.warn("GraphQL field {} failed: database unavailable (reference {}): {}",
                    env.getExecutionStepInfo().getPath(), reference, ex.toString());
            return GraphqlErrorBuilder.newError(env)
                    .errorType(UNAVAILABLE)
                    .message("The database is unavailable; try again shortly (reference " + reference + ")")
                    .extensions(Map.of("reference", reference, "retryable", true))
                    .build();
        }
        log.error("GraphQL field {} failed (reference {})", env.getExecutionStepInfo().getPath(), reference, ex);
        return GraphqlErrorBuilder.newError(env)
                .errorType(ErrorType.INTERNAL_ERROR)
                .message("Internal error; reference " + reference)
                .extensions(Map.of("reference", reference))
                .build();
    }

    /**
     * Whether the cause is that no connection could be had or the one in use was lost: Spring's resource failures
     * (SQL states 08, 53, 57, ...), a transaction that could not begin, the pool's timeout, or the driver's
     * connection-class states where nothing translated them.
     */
    static boolean databaseUnreachable(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
