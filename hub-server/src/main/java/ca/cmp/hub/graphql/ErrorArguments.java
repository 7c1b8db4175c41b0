package ca.cmp.hub.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every error names the part of the request at fault in {@code extensions.argument}: the hub's own errors do
 * already; graphql-java's (syntax, validation, variable coercion) get the argument or variable their message
 * names, else {@code query} (the document itself).
 */
@Component
class ErrorArguments implements WebGraphQlInterceptor {

    private static final Pattern NAMED = Pattern.compile("(?:argument|Variable) '([^']+)'");

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(response -> {
            List<ResponseError> errors = response.getErrors();
            if (errors.isEmpty() || errors.stream().allMatch(e -> e.getExtensions().containsKey("argument"))) {
                return response;
            }
            return response.transform(builder -> builder.errors(errors.stream().map(ErrorArguments::named)
                    .toList()));
        });
    }

    static GraphQLError named(ResponseError error) {
        Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions());
        if (!extensions.containsKey("argument")) {
            Matcher named = NAMED.matcher(error.getMessage() == null ? "" : error.getMessage());
            extensions.put("argument", named.find() ? named.group(1) : "query");
        }
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError().message(error.getMessage())
                .errorType(error.getErrorType()).extensions(extensions);
        if (!error.getParsedPath().isEmpty()) {
            builder.path(error.getParsedPath());
        }
        if (error.getLocations() != null && !error.getLocations().isEmpty()) {
            builder.locations(error.getLocations());
        }
        return builder.build();
    }
}
