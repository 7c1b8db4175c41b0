package ca.cmp.hub.security;

import java.util.Optional;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * The one authorization gate. Every operation asks it where the work is done (in the service, not only at the
 * GraphQL door, so that every way to a record applies the same rule); each refusal is audited here, once. Payload
 * operations answer a refusal with {@link #check}'s {@link NotAllowed}; reads that have no payload union throw
 * through {@link #require}, which the one exception handler maps to FORBIDDEN.
 */
@Component
public class Gate {

    private final AccessAudit audit;

    Gate(AccessAudit audit) {
        this.audit = audit;
    }

    /** The refusal, audited, when the current caller may not do {@code action}; empty when it may. */
    public Optional<NotAllowed> check(Permission permission, String action, String partnershipSlug) {
        CurrentCaller caller = CurrentCaller.get();
        if (permission.heldBy(caller, partnershipSlug)) {
            return Optional.empty();
        }
        String message = permission.refusal(caller, partnershipSlug);
        audit.refused(caller, action, target(permission, partnershipSlug), message);
        return Optional.of(new NotAllowed(message));
    }

    /** As {@link #check}, throwing {@link AccessDeniedException} with the refusal's message. */
    public void require(Permission permission, String action, String partnershipSlug) {
        Optional<NotAllowed> refused = check(permission, action, partnershipSlug);
        if (refused.isPresent()) {
            throw new AccessDeniedException(refused.get().message());
        }
    }

    /** Whether the current caller holds the permission, without auditing (for what a caller sees, not does). */
    public boolean allows(Permission permission) {
        return permission.heldBy(CurrentCaller.get(), null);
    }

    private static String target(Permission permission, String partnershipSlug) {
        return partnershipSlug != null ? "partnership:" + partnershipSlug : permission.name().toLowerCase();
    }
}
