package ca.cmp.hub.security;

import java.util.Optional;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The caller of the current request, as the services see it. Checks live in the services (not only in the
 * GraphQL layer), so every door to a record — GraphQL, map data, exports, federation — applies the same rules.
 */
public record CurrentCaller(String subject, java.util.Set<Role> roles, String partnership) {

    public static final CurrentCaller ANONYMOUS = new CurrentCaller(null, java.util.Set.of(), null);

    public static CurrentCaller get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return ANONYMOUS;
        }
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(role.authority()))) {
                roles.add(role);
            }
        }
        String partnership = auth instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString(SecurityConfig.PARTNERSHIP) : null;
        return new CurrentCaller(auth.getName(), roles, partnership);
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    public boolean has(Role role) {
        return roles.contains(role) || roles.contains(Role.ADMIN);
    }

    /** Whether the caller may change the records of the partnership with this slug. */
    public boolean mayWrite(String partnershipSlug) {
        return roles.contains(Role.ADMIN) || roles.contains(Role.PARTNER) && partnershipSlug.equals(partnership);
    }

    public Optional<String> partnershipSlug() {
        return Optional.ofNullable(partnership);
    }
}
