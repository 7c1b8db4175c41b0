package ca.cmp.hub.partnership;

import java.util.List;
import java.util.Optional;

import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.ratelimit.ActionLimits;
import ca.cmp.hub.security.AccessAudit;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import org.springframework.data.domain.Limit;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * The network's administration through GraphQL: administrators create, change and retire partnerships and decide
 * requests to join; anyone may ask to join (limited per address). Expected failures are payloads.
 */
@Controller
class PartnershipAdminController {

    private final PartnershipAdmin admin;
    private final PartnershipRepository partnerships;
    private final JoinRequestRepository requests;
    private final ActionLimits limits;
    private final AccessAudit audit;
    private final Gate gate;

    PartnershipAdminController(PartnershipAdmin admin, PartnershipRepository partnerships,
            JoinRequestRepository requests, ActionLimits limits, AccessAudit audit, Gate gate) {
        this.gate = gate;
        this.admin = admin;
        this.partnerships = partnerships;
        this.requests = requests;
        this.limits = limits;
        this.audit = audit;
    }

    record PartnershipSaved(Partnership partnership) {
    }

    record InvalidPartnership(String field, String message) {
    }

    record JoinRequestSaved(JoinRequest request) {
    }

    record UnknownJoinRequest(String id, String message) {
    }

    record TooManyRequests(String message, int perHour) {
    }

    @MutationMapping
    Object createPartnership(@Argument PartnershipAdmin.PartnershipInput input) {
        String slug = input.slug() == null ? null : input.slug().strip();
        NotAllowed refused = refuseUnlessAdmin("createPartnership", slug);
        return refused != null ? refused : payload(admin.create(input, CurrentCaller.get()));
    }

    @MutationMapping
    Object updatePartnership(@Argument String id, @Argument PartnershipAdmin.PartnershipChanges changes) {
        Optional<Partnership> found = partnerships.findByIdOrSlug(id);
        if (found.isEmpty()) {
            return unknown(id);
        }
        NotAllowed refused = refuseUnlessAdmin("updatePartnership", found.get().getSlug());
        return refused != null ? refused : payload(admin.update(found.get(), changes, CurrentCaller.get()));
    }

    @MutationMapping
    Object retirePartnership(@Argument String id, @Argument String reason) {
        Optional<Partnership> found = partnerships.findByIdOrSlug(id);
        if (found.isEmpty()) {
            return unknown(id);
        }
        NotAllowed refused = refuseUnlessAdmin("retirePartnership", found.get().getSlug());
        return refused != null ? refused : payload(admin.retire(found.get(), reason, CurrentCaller.get()));
    }

    /** Public: anyone may ask, a few times an hour per address. */
    @MutationMapping
    Object requestToJoin(@Argument PartnershipAdmin.JoinRequestInput request,
            @ContextValue(name = ActionLimits.CLIENT_ADDRESS, required = false) String address) {
        CurrentCaller caller = CurrentCaller.get();
        if (!limits.tryJoinRequest(address)) {
            String message = "at most " + limits.joinRequestsPerHour() + " requests to join per hour from one "
                    + "address; try again later";
            audit.refused(caller, "requestToJoin", "join-request", null, message + " (from " + address + ")");
            return new TooManyRequests(message, limits.joinRequestsPerHour());
        }
        return joinPayload(admin.requestToJoin(request, caller, address));
    }

    @MutationMapping
    Object approveJoinRequest(@Argument String id, @Argument String slug, @Argument String nameFr,
            @Argument List<String> provinces, @Argument String description, @Argument String note) {
        NotAllowed refused = refuseUnlessAdmin("approveJoinRequest", null);
        if (refused != null) {
            return refused;
        }
        return payload(admin.approve(Ids.parse("id", id),
                new PartnershipAdmin.Approval(slug, nameFr, provinces, description, note), CurrentCaller.get()));
    }

    @MutationMapping
    Object declineJoinRequest(@Argument String id, @Argument String reason) {
        NotAllowed refused = refuseUnlessAdmin("declineJoinRequest", null);
        if (refused != null) {
            return refused;
        }
        return joinPayload(admin.decline(Ids.parse("id", id), reason, CurrentCaller.get()));
    }

    /** Administrators only: requests carry a contact and are not public. */
    @QueryMapping
    List<JoinRequest> joinRequests(@Argument JoinRequest.Status status, @Argument Integer first) {
        gate.require(Permission.ADMINISTER, "joinRequests", null);
        int limit = first == null ? 50 : first;
        if (limit < 1 || limit > 500) {
            throw new InvalidArgumentException("first", "must be from 1 to 500, got " + limit);
        }
        return requests.findByStatusOrderBySubmittedAtDesc(status == null ? JoinRequest.Status.PENDING : status,
                Limit.of(limit));
    }

    private static Object payload(PartnershipAdmin.Outcome outcome) {
        if (outcome instanceof PartnershipAdmin.Saved saved) {
            return new PartnershipSaved(saved.partnership());
        }
        return failure(outcome);
    }

    private static Object joinPayload(PartnershipAdmin.JoinOutcome outcome) {
        if (outcome instanceof PartnershipAdmin.JoinSaved saved) {
            return new JoinRequestSaved(saved.request());
        }
        return failure(outcome);
    }

    private static Object failure(Object outcome) {
        if (outcome instanceof PartnershipAdmin.Invalid invalid) {
            return new InvalidPartnership(invalid.field(), invalid.message());
        }
        PartnershipAdmin.Unknown unknown = (PartnershipAdmin.Unknown) outcome;
        return new UnknownJoinRequest(unknown.id(), "no request to join has the id " + unknown.id());
    }

    private static UnknownPartnership unknown(String id) {
        return UnknownPartnership.of(id);
    }

    /** The network's administration is for administrators (audited as the partnership's, when there is one). */
    private NotAllowed refuseUnlessAdmin(String action, String partnershipSlug) {
        return gate.check(Permission.ADMINISTER, action, partnershipSlug).orElse(null);
    }
}
