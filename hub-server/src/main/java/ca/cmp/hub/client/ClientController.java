package ca.cmp.hub.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.security.AccessAudit;
import ca.cmp.hub.security.ApiClients;
import ca.cmp.hub.security.ApiClients.ApiClient;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import ca.cmp.hub.security.Role;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;

/**
 * API clients of the hub's issuer. Administrators manage any client; a partnership's coordinator manages the
 * partner and coordinator clients of its own partnership only. Every expected failure is a payload member naming
 * the argument; every act is audited.
 */
@Controller
class ClientController {

    private static final Set<Role> PARTNERSHIP_ROLES = EnumSet.of(Role.PARTNER, Role.COORDINATOR);

    private final ApiClients clients;
    private final PartnershipRepository partnerships;
    private final Gate gate;
    private final AccessAudit audit;

    ClientController(ApiClients clients, PartnershipRepository partnerships, Gate gate, AccessAudit audit) {
        this.clients = clients;
        this.partnerships = partnerships;
        this.gate = gate;
        this.audit = audit;
    }

    record ClientInput(String clientId, String name, List<Role> roles, String partnership) {
    }

    record ClientCredentials(ApiClient client, String secret) {
    }

    record ClientRevoked(ApiClient client) {
    }

    record InvalidClient(String field, String message) {
    }

    record UnknownClient(String clientId, String message) {
    }

    @QueryMapping
    List<ApiClient> clients(@Argument String partnership) {
        if (partnership == null) {
            gate.require(Permission.ADMINISTER, "clients", null);
            return clients.list(null);
        }
        Optional<Partnership> found = partnerships.findByIdOrSlug(partnership);
        gate.require(Permission.MANAGE_CLIENTS, "clients", found.map(Partnership::getSlug).orElse(partnership));
        return found.map(p -> clients.list(p.getId())).orElse(List.of());
    }

    @MutationMapping
    @Transactional
    Object createClient(@Argument ClientInput input) {
        Partnership partnership = null;
        if (input.partnership() != null) {
            partnership = partnerships.findByIdOrSlug(input.partnership()).orElse(null);
            if (partnership == null) {
                return new InvalidClient("input.partnership", "no partnership has the id or slug \""
                        + input.partnership() + "\"");
            }
        }
        Set<Role> roles = input.roles() == null || input.roles().isEmpty() ? EnumSet.noneOf(Role.class)
                : EnumSet.copyOf(input.roles());
        Optional<NotAllowed> refused = check(roles, partnership == null ? null : partnership.getSlug(),
                "createClient");
        if (refused.isPresent()) {
            return refused.get();
        }
        InvalidClient invalid = invalid(input, roles, partnership);
        if (invalid != null) {
            return invalid;
        }
        ApiClients.Credentials created = clients.create(input.clientId(), input.name().strip(), roles,
                partnership == null ? null : partnership.getId(), CurrentCaller.get().subject());
        audit.done(CurrentCaller.get(), "createClient", "client:" + input.clientId(), "roles " + roles
                + (partnership == null ? "" : ", partnership " + partnership.getSlug()));
        return new ClientCredentials(created.client(), created.secret());
    }

    @MutationMapping
    @Transactional
    Object rotateClientSecret(@Argument String clientId) {
        Optional<ApiClient> found = clients.find(clientId);
        if (found.isEmpty()) {
            return unknown(clientId);
        }
        Optional<NotAllowed> refused = check(found.get().roles(), found.get().partnershipSlug(), "rotateClientSecret");
        if (refused.isPresent()) {
            return refused.get();
        }
        if (found.get().revoked()) {
            return new InvalidClient("clientId", "the client " + clientId + " is revoked; create a new one");
        }
        ApiClients.Credentials rotated = clients.rotate(clientId);
        audit.done(CurrentCaller.get(), "rotateClientSecret", "client:" + clientId, "earlier tokens refused");
        return new ClientCredentials(rotated.client(), rotated.secret());
    }

    @MutationMapping
    @Transactional
    Object revokeClient(@Argument String clientId) {
        Optional<ApiClient> found = clients.find(clientId);
        if (found.isEmpty()) {
            return unknown(clientId);
        }
        Optional<NotAllowed> refused = check(found.get().roles(), found.get().partnershipSlug(), "revokeClient");
        if (refused.isPresent()) {
            return refused.get();
        }
        ApiClient revoked = clients.revoke(clientId, CurrentCaller.get().subject());
        audit.done(CurrentCaller.get(), "revokeClient", "client:" + clientId, "its tokens refused");
        return new ClientRevoked(revoked);
    }

    @BatchMapping(typeName = "ApiClient")
    Map<ApiClient, Partnership> partnership(List<ApiClient> children) {
        Map<UUID, Partnership> byId = partnerships.findAllById(children.stream().map(ApiClient::partnershipId)
                .filter(java.util.Objects::nonNull).distinct().toList()).stream()
                .collect(Collectors.toMap(Partnership::getId, Function.identity()));
        return children.stream().filter(c -> c.partnershipId() != null)
                .collect(Collectors.toMap(Function.identity(), c -> byId.get(c.partnershipId()), (a, b) -> a));
    }

    /** A partnership's own clients are its coordinators' to manage; every other client is the administrators'. */
    private Optional<NotAllowed> check(Set<Role> roles, String partnershipSlug, String action) {
        boolean partnershipClient = partnershipSlug != null && !roles.isEmpty()
                && PARTNERSHIP_ROLES.containsAll(roles);
        return partnershipClient ? gate.check(Permission.MANAGE_CLIENTS, action, partnershipSlug)
                : gate.check(Permission.ADMINISTER, action, null);
    }

    private InvalidClient invalid(ClientInput input, Set<Role> roles, Partnership partnership) {
        if (input.clientId() == null || !input.clientId().matches("[a-z0-9][a-z0-9._-]{2,63}")) {
            return new InvalidClient("input.clientId", "3 to 64 characters of a-z, 0-9, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
        if (clients.find(input.clientId()).isPresent()) {
            return new InvalidClient("input.clientId", "a client with the id " + input.clientId() + " exists");
        }
        if (input.name() == null || input.name().isBlank() || input.name().length() > 200
                || input.name().chars().anyMatch(Character::isISOControl)) {
            return new InvalidClient("input.name", "1 to 200 characters, without control characters");
        }
        if (roles.isEmpty()) {
            return new InvalidClient("input.roles", "give at least one role");
        }
        boolean partnerRole = roles.stream().anyMatch(PARTNERSHIP_ROLES::contains);
        if (partnerRole && partnership == null) {
            return new InvalidClient("input.partnership", "PARTNER and COORDINATOR clients belong to exactly one "
                    + "partnership: give it");
        }
        if (!partnerRole && partnership != null) {
            return new InvalidClient("input.partnership", "only PARTNER and COORDINATOR clients belong to a "
                    + "partnership");
        }
        return null;
    }

    private static UnknownClient unknown(String clientId) {
        return new UnknownClient(clientId, "no client has the id \"" + clientId + "\"");
    }
}
