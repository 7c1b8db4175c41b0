package ca.cmp.hub.security;

import java.util.Optional;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The caller of the current request: subject, roles and partnership, from its token. What a caller may do is
 * {@link Permission}'s to say and {@link Gate}'s to check.
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

    public Optional<String> partnershipSlug() {
        return Optional.ofNullable(partnership);
    }
}
