package ca.cmp.hub.security;

import java.util.EnumSet;
import java.util.Set;

import static ca.cmp.hub.security.Permission.Roles.NONE;

/**
 * What an operation needs of its caller: the hub's whole access model, one constant per kind of act. A permission
 * holds for callers with one of its roles anywhere, and for callers with one of its partnership roles on the
 * partnership their token names (its {@code partnership} claim). {@link Role#ADMIN} holds every permission.
 */
public enum Permission {

    /** Publish, change and retire a partnership's programs. */
    WRITE_PROGRAMS(EnumSet.of(Role.PARTNER), NONE, "changing programs", "change the records of"),
    /** Register, change, run and read a partnership's connectors (their settings may hold a partner's addresses). */
    MANAGE_CONNECTORS(EnumSet.of(Role.PARTNER, Role.COORDINATOR), EnumSet.of(Role.PLANNER), "managing connectors",
            "manage the connectors of"),
    /** Read a partnership's sync reports (they show its data problems). */
    READ_SYNC_REPORTS(EnumSet.of(Role.PARTNER, Role.COORDINATOR), EnumSet.of(Role.PLANNER), "reading sync reports",
            "read the sync reports of"),
    /** Create, rotate and revoke a partnership's API clients. */
    MANAGE_CLIENTS(EnumSet.of(Role.COORDINATOR), NONE, "managing API clients", "manage the API clients of"),
    /** Load census datasets. */
    LOAD_CENSUS(NONE, EnumSet.of(Role.PLANNER), "loading census data", null),
    /** Expansion plans and what-if scenarios. */
    PLAN(NONE, EnumSet.of(Role.PLANNER), "planning", null),
    /** Unrounded figures below the small-area threshold. */
    READ_DETAILED_FIGURES(NONE, EnumSet.of(Role.FUNDER, Role.PLANNER), "reading detailed figures", null),
    /** Partnerships, every client, the audit trail: the network's administration. */
    ADMINISTER(NONE, NONE, "administering the network", null);

    private final Set<Role> partnershipRoles;
    private final Set<Role> roles;
    private final String act;
    private final String verb;

    Permission(Set<Role> partnershipRoles, Set<Role> roles, String act, String verb) {
        this.partnershipRoles = partnershipRoles;
        this.roles = roles;
        this.act = act;
        this.verb = verb;
    }

    /**
     * The policy: whether {@code caller} holds this permission, for the partnership with this slug where the
     * permission is a partnership's (null otherwise).
     */
    public boolean heldBy(CurrentCaller caller, String partnershipSlug) {
        if (caller.roles().contains(Role.ADMIN) || caller.roles().stream().anyMatch(roles::contains)) {
            return true;
        }
        return partnershipSlug != null && partnershipSlug.equals(caller.partnership())
                && caller.roles().stream().anyMatch(partnershipRoles::contains);
    }

    /** Why the caller is refused, in the caller's terms. */
    String refusal(CurrentCaller caller, String partnershipSlug) {
        if (caller.isAnonymous()) {
            return act + " needs a token";
        }
        if (!partnershipRoles.isEmpty() && partnershipSlug != null) {
            return "this token may not " + verb + " " + partnershipSlug;
        }
        return act + " is for " + who();
    }

    private String who() {
        if (this == ADMINISTER) {
            return "administrators";
        }
        StringBuilder who = new StringBuilder(partnershipRoles.isEmpty() ? "" : "the partnership's own clients, ");
        roles.forEach(r -> who.append(r.name().toLowerCase()).append("s, "));
        return who.append("and admins").toString().replace(", and", " and");
    }

    /** Holder of the empty role set, which the constants above cannot name before the enum is initialised. */
    static final class Roles {
        static final Set<Role> NONE = EnumSet.noneOf(Role.class);

        private Roles() {
        }
    }
}
