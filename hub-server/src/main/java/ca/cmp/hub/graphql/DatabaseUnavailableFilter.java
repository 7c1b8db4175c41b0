package ca.cmp.hub.graphql;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The database out of reach outside a data fetcher (a token's revocation look-up in the security filters, the
 * token endpoint): 503 with Retry-After and a GraphQL-shaped error saying so, rather than a bare 500. Outermost,
 * so that it sees what escapes Spring Security's filters.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!GraphQlErrors.databaseUnreachable(e) || response.isCommitted()) {
                throw e;
            }
            log.warn("{} {}: database unavailable: {}", request.getMethod(), request.getRequestURI(), e.toString());
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setContentType("application/json");
            response.getWriter().write("{\"errors\":[{\"message\":\"The database is unavailable; try again shortly\","
                    + "\"extensions\":{\"classification\":\"UNAVAILABLE\",\"retryable\":true}}]}");
        }
    }
}
