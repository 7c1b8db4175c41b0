package ca.cmp.hub.graphql;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tells {@link QueryBudget} whether the HTTP caller presented a valid token, for the explorer setting: read here,
 * on the request's thread, where the security context is the request's.
 */
@Component
class IntrospectionGate implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        boolean authenticated = caller != null && caller.isAuthenticated()
                && !(caller instanceof AnonymousAuthenticationToken);
        request.configureExecutionInput((input, builder) -> builder
                .graphQLContext(context -> context.put(QueryBudget.AUTHENTICATED, authenticated)).build());
        return chain.next(request);
    }
}
