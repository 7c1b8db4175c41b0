package ca.cmp.hub.graphql;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The {@code graphql.request} timer (Spring for GraphQL's request observation) tagged by operation name as well as
 * outcome and type, so that operators see rates and latencies per operation. Spring keeps the name a trace-only
 * (high-cardinality) value, because clients choose it: here it becomes a metric tag, bounded. Names that are not
 * GraphQL names, and any name after {@link #MAX_NAMES} distinct ones, are counted as {@code OTHER}; a request
 * without an operation name as {@code anonymous}.
 */
@Component
class GraphQlRequestMetrics extends DefaultExecutionRequestObservationConvention {

    static final String OPERATION_NAME = "graphql.operation.name";
    static final int MAX_NAMES = 200;
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,63}");

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public KeyValues getLowCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return super.getLowCardinalityKeyValues(context)
                .and(KeyValue.of(OPERATION_NAME, bounded(context.getExecutionInput().getOperationName())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return KeyValues.of(executionId(context));
    }

    String bounded(String name) {
        if (name == null || name.isEmpty()) {
            return "anonymous";
        }
        if (!NAME.matcher(name).matches()) {
            return "OTHER";
        }
        if (seen.contains(name) || seen.size() < MAX_NAMES && seen.add(name)) {
            return name;
        }
        return "OTHER";
    }
}
