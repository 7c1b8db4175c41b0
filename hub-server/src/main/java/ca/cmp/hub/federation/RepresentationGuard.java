package ca.cmp.hub.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.language.StringValue;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import reactor.core.publisher.Mono;

/**
 * Wraps {@code Query._entities}: each representation that cannot be answered gets one error naming it (its index
 * and typename) and why — not an object, no {@code __typename}, a type that is no entity here, a key missing or
 * not a string, or no such record — and never an internal message. The entity types and their keys are read off
 * the schema's {@code @key} directives, so the SDL stays the one contract.
 */
final class RepresentationGuard implements DataFetcher<Object> {

    private static final Logger log = LoggerFactory.getLogger(RepresentationGuard.class);

    private final DataFetcher<?> entities;
    /** Entity type → its keys, each the list of its (flat) field names. */
    private final Map<String, List<List<String>>> keys;

    private RepresentationGuard(DataFetcher<?> entities, Map<String, List<List<String>>> keys) {
        this.entities = entities;
        this.keys = keys;
    }

    static GraphQLSchema install(GraphQLSchema schema) {
        Map<String, List<List<String>>> keys = new LinkedHashMap<>();
        schema.getAllTypesAsList().stream().filter(t -> t instanceof GraphQLObjectType).map(GraphQLObjectType.class::cast)
                .forEach(type -> type.getAppliedDirectives("key").forEach(key -> keys.computeIfAbsent(type.getName(),
                        k -> new ArrayList<>()).add(fields(key))));
        FieldCoordinates coordinates = FieldCoordinates.coordinates("Query", "_entities");
        DataFetcher<?> original = schema.getCodeRegistry().getDataFetcher(coordinates,
                schema.getQueryType().getFieldDefinition("_entities"));
        RepresentationGuard guard = new RepresentationGuard(original, keys);
        return schema.transform(builder -> builder.codeRegistry(
                schema.getCodeRegistry().transform(code -> code.dataFetcher(coordinates, guard))));
    }

    private static List<String> fields(GraphQLAppliedDirective key) {
        Object value = key.getArgument("fields").getArgumentValue().getValue();
        String text = value instanceof StringValue s ? s.getValue() : String.valueOf(value);
        return List.of(text.trim().split("\\s+"));
    }

    @Override
    public Object get(DataFetchingEnvironment env) throws Exception {
        List<?> representations = env.getArgument("representations");
        Object result = entities.get(env);
        if (representations == null) {
            return result;
        }
        if (result instanceof Mono<?> mono) {
            return mono.map(r -> review(r, representations, env));
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.thenApply(r -> review(r, representations, env));
        }
        return review(result, representations, env);
    }

    /** The entities as fetched, with an error for each representation without its entity. */
    private Object review(Object fetched, List<?> representations, DataFetchingEnvironment env) {
        if (!(fetched instanceof DataFetcherResult<?> result) || !(result.getData() instanceof List<?> data)) {
            return fetched;
        }
        List<GraphQLError> errors = new ArrayList<>();
        for (int i = 0; i < representations.size(); i++) {
            Object entity = i < data.size() ? data.get(i) : null;
            if (entity != null) {
                continue;
            }
            errors.add(error(env, i, representations.get(i), result.getErrors()));
        }
        // Errors of other paths (none today) pass as they are.
        result.getErrors().stream().filter(e -> index(e) < 0).forEach(errors::add);
        return DataFetcherResult.newResult().data(data).errors(errors).build();
    }

    private GraphQLError error(DataFetchingEnvironment env, int index, Object representation,
            List<GraphQLError> fetched) {
        String typename = representation instanceof Map<?, ?> map && map.get("__typename") instanceof String t
                ? t : null;
        String problem = problem(representation, typename);
        ErrorType type = ErrorType.BAD_REQUEST;
        if (problem == null) {
            GraphQLError cause = fetched.stream().filter(e -> index(e) == index).findFirst().orElse(null);
            if (cause == null || cause.getErrorType() == ErrorType.NOT_FOUND) {
                problem = "no " + typename + " has " + describe((Map<?, ?>) representation, typename);
                type = ErrorType.NOT_FOUND;
            } else {
                // The fetch failed: the details go to the log, the caller gets a reference to them.
                String reference = UUID.randomUUID().toString();
                log.error("_entities[{}] ({}) failed (reference {}): {}", index, typename, reference,
                        cause.getMessage());
                problem = "internal error; reference " + reference;
                type = ErrorType.INTERNAL_ERROR;
            }
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("argument", "representations[" + index + "]");
        extensions.put("representation", index);
        if (typename != null) {
            extensions.put("typename", typename);
        }
        return GraphqlErrorBuilder.newError().errorType(type)
                .path(env.getExecutionStepInfo().getPath().segment(index))
                .message("representations[" + index + "]" + (typename == null ? "" : " (" + typename + ")") + ": "
                        + problem)
                .extensions(extensions).build();
    }

    /** Why the representation is malformed or of no entity here; null when it is well-formed. */
    private String problem(Object representation, String typename) {
        if (!(representation instanceof Map<?, ?> map)) {
            return "a representation is an object with __typename and the entity's key fields";
        }
        if (typename == null) {
            return "__typename is missing (or not a string)";
        }
        List<List<String>> entityKeys = keys.get(typename);
        if (entityKeys == null) {
            return "\"" + abbreviate(typename) + "\" is no entity of this subgraph (entities: "
                    + String.join(", ", keys.keySet()) + ")";
        }
        for (List<String> key : entityKeys) {
            if (key.stream().allMatch(f -> map.get(f) instanceof String)) {
                return null;
            }
        }
        return "its key is missing or not a string: give " + String.join(" or ",
                entityKeys.stream().map(k -> String.join(" and ", k)).toList());
    }

    /** The key the representation gave, e.g. {@code id "…"}. */
    private String describe(Map<?, ?> representation, String typename) {
        for (List<String> key : keys.get(typename)) {
            if (key.stream().allMatch(f -> representation.get(f) instanceof String)) {
                return String.join(" and ", key.stream()
                        .map(f -> f + " \"" + abbreviate((String) representation.get(f)) + "\"").toList());
            }
        }
        return "that key";
    }

    private static int index(GraphQLError error) {
        List<Object> path = error.getPath();
        return path != null && path.size() == 2 && path.get(1) instanceof Integer i ? i : -1;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
