package ca.cmp.hub.security;

import java.time.Instant;
import java.util.List;

import ca.cmp.hub.graphql.InvalidArgumentException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** The audit trail for administrators: who did or tried what, on which partnership, when, and the outcome. */
@Controller
class AuditController {

    static final int MAX_PAGE = 500;

    private final AuditTrail trail;
    private final Gate gate;

    AuditController(AuditTrail trail, Gate gate) {
        this.trail = trail;
        this.gate = gate;
    }

    record AuditFilter(String actor, String partnership, String operation, AccessAudit.Outcome outcome,
            Instant since, Instant until) {
    }

    record AuditEvent(String id, Instant at, String actor, List<String> roles, String operation, String target,
            String partnership, String outcome, String detail) {
    }

    record AuditEventPage(List<AuditEvent> events, String endCursor, boolean hasNextPage) {
    }

    @QueryMapping
    AuditEventPage auditEvents(@Argument AuditFilter filter, @Argument Integer first, @Argument String after) {
        gate.require(Permission.ADMINISTER, "auditEvents", null);
        int limit = first == null ? 50 : first;
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_PAGE + ", got " + limit);
        }
        Long before = null;
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("after", "\"" + after + "\" is not a cursor of auditEvents");
            }
        }
        AuditFilter f = filter == null ? new AuditFilter(null, null, null, null, null, null) : filter;
        if (f.since() != null && f.until() != null && !f.since().isBefore(f.until())) {
            throw new InvalidArgumentException("filter.until", "must be after filter.since");
        }
        List<AuditTrail.Event> rows = trail.page(new AuditTrail.Query(blankToNull(f.actor()),
                blankToNull(f.partnership()), blankToNull(f.operation()),
                f.outcome() == null ? null : f.outcome().name(), f.since(), f.until(), before), limit + 1);
        boolean more = rows.size() > limit;
        List<AuditEvent> events = rows.stream().limit(limit).map(e -> new AuditEvent(Long.toString(e.id()), e.at(),
                e.actor(), roles(e.roles()), e.operation(), e.target(), e.partnership(), e.outcome(), e.detail()))
                .toList();
        return new AuditEventPage(events, events.isEmpty() ? null : events.get(events.size() - 1).id(), more);
    }

    /** The roles column holds a set as Java prints it, e.g. [ADMIN]. */
    private static List<String> roles(String stored) {
        if (stored == null || stored.length() < 2) {
            return List.of();
        }
        String inner = stored.substring(1, stored.length() - 1).strip();
        return inner.isEmpty() ? List.of() : List.of(inner.split(",\\s*"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
