package ca.cmp.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import ca.cmp.hub.ratelimit.Buckets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles guessing at the issuer's endpoints (token, introspection, revocation): each failed client
 * authentication takes one from a bucket per client id and one per address, held in Redis across instances.
 * Once either is empty, that client id (or address) is answered 429 with Retry-After until it refills, even with
 * the right secret. Each failure is audited.
 */
final class FailedSecrets extends OncePerRequestFilter {

    private final Buckets buckets;
    private final SecurityProperties.FailedSecrets limits;
    private final AccessAudit audit;

    FailedSecrets(Buckets buckets, SecurityProperties.FailedSecrets limits, AccessAudit audit) {
        this.buckets = buckets;
        this.limits = limits;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/oauth2/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientId(request);
        String clientKey = "tf:client:" + (client == null ? "" : client);
        String addressKey = "tf:ip:" + request.getRemoteAddr();
        if ((client != null && buckets.available(clientKey, limits.perClient(), limits.period()) <= 0)
                || buckets.available(addressKey, limits.perAddress(), limits.period()) <= 0) {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(limits.period().toSeconds()));
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":\"too many "
                    + "failed client authentications from this client or address; retry later\"}");
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == 401) {
            if (client != null) {
                buckets.take(clientKey, 1, limits.perClient(), limits.period());
            }
            buckets.take(addressKey, 1, limits.perAddress(), limits.period());
            audit.refused(CurrentCaller.ANONYMOUS, "clientAuthentication", "client:" + client,
                    "wrong or unknown client secret from " + request.getRemoteAddr() + " at "
                            + request.getRequestURI());
        }
    }

    /** The client id a request authenticates as: HTTP Basic's user, or the form's client_id. */
    private static String clientId(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon > 0 ? decoded.substring(0, colon) : null;
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }
}
