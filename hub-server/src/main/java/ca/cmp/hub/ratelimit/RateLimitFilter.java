package ca.cmp.hub.ratelimit;

import java.io.IOException;
import java.time.Duration;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client request limits on the API, held in Redis so they hold across hub instances: a token's subject, or
 * the client IP for anonymous callers. If Redis is unreachable the limits are kept per instance (relaxed, not
 * dropped) until it returns. Over the limit: 429 with Retry-After and a GraphQL-shaped error, counted by
 * {@code hub.ratelimit.refused} (caller: anonymous or client).
 */
@Component
class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimitProperties properties;
    private final Buckets buckets;
    private final Counter refusedAnonymous;
    private final Counter refusedClients;

    RateLimitFilter(RateLimitProperties properties, Buckets buckets, MeterRegistry meters) {
        this.properties = properties;
        this.buckets = buckets;
        this.refusedAnonymous = refused(meters, "anonymous");
        this.refusedClients = refused(meters, "client");
    }

    private static Counter refused(MeterRegistry meters, String caller) {
        return Counter.builder("hub.ratelimit.refused").description("GraphQL and HSDS API requests refused over the rate limit")
                .tag("caller", caller).register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The public API reads: GraphQL and the HSDS API (its pages are as costly as a GraphQL page).
        String path = request.getRequestURI();
        return !properties.enabled() || !(path.startsWith("/graphql") || path.startsWith("/hsds"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        boolean anonymous = auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated();
        String key = anonymous ? "rl:ip:" + request.getRemoteAddr() : "rl:client:" + auth.getName();
        int perMinute = anonymous ? properties.anonymousPerMinute() : properties.clientPerMinute();
        ConsumptionProbe probe = buckets.take(key, 1, perMinute, Duration.ofMinutes(1));
        response.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        (anonymous ? refusedAnonymous : refusedClients).increment();
        long seconds = Buckets.retryAfterSeconds(probe);
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setContentType("application/json");
        response.getWriter().write("{\"errors\":[{\"message\":\"rate limit exceeded: " + perMinute
                + " requests per minute " + (anonymous ? "per address without a token" : "per client")
                + "; retry in " + seconds + " s\",\"extensions\":{\"classification\":\"RATE_LIMITED\"}}]}");
    }
}
