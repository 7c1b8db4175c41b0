package ca.cmp.hub.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.security.Role;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Puts a caller in the security context for service-level GraphQL tests, shaped exactly as the resource server
 * builds it from a validated token (HTTP-level token handling is tested in TokensTest).
 */
public final class Callers {

    private Callers() {
    }

    public static void as(String subject, Role role, String partnership) {
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("sub", subject, "roles", List.of(role.name())));
        if (partnership != null) {
            claims.put("partnership", partnership);
        }
        Jwt jwt = new Jwt("test-token", Instant.now(), Instant.now().plusSeconds(600), Map.of("alg", "RS256"), claims);
        List<GrantedAuthority> authorities = new ArrayList<>(List.of(new SimpleGrantedAuthority(role.authority())));
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, authorities, subject));
    }

    public static void partnerOf(String slug) {
        as("partner-" + slug, Role.PARTNER, slug);
    }

    public static void anonymous() {
        SecurityContextHolder.clearContext();
    }
}
