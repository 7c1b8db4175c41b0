package ca.cmp.hub.ratelimit;

import java.net.InetSocketAddress;
import java.util.Map;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Hands the client's address to the controllers (as {@link ActionLimits#CLIENT_ADDRESS}) for per-address limits. */
@Component
class ClientAddressInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            String address = remote.getAddress().getHostAddress();
            request.configureExecutionInput((input, builder) -> builder.graphQLContext(
                    Map.of(ActionLimits.CLIENT_ADDRESS, address)).build());
        }
        return chain.next(request);
    }
}
