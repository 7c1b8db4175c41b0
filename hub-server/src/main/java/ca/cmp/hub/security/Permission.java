package ca.cmp.hub.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an operation needs of its caller: the hub's whole access model, one constant per kind of act. Partnership
 * permissions hold for the partners of that partnership (the token's {@code partnership} claim) and for the roles
 * listed; the others for the roles listed. {@link Role#ADMIN} holds every permission.
 */
public enum Permission {

    /** Publish, change and retire a partnership's programs. */
    WRITE_PROGRAMS(true, EnumSet.noneOf(Role.class), "changing programs", "change the records of"),
    /** Register, change, run and read a partnership's connectors (their settings may hold a partner's addresses). */
    MANAGE_CONNECTORS(true, EnumSet.of(Role.PLANNER), "managing connectors", "manage the connectors of"),
    /** Read a partnership's sync reports (they show its data problems). */
    READ_SYNC_REPORTS(true, EnumSet.of(Role.PLANNER), "reading sync reports", "read the sync reports of"),
    /** Load census datasets. */
    LOAD_CENSUS(false, EnumSet.of(Role.PLANNER), "loading census data", null),
    /** Expansion plans and what-if scenarios. */
    PLAN(false, EnumSet.of(Role.PLANNER), "planning", null),
    /** Unrounded figures below the small-area threshold. */
    READ_DETAILED_FIGURES(false, EnumSet.of(Role.FUNDER, Role.PLANNER), "reading detailed figures", null),
    /** Partnerships, clients, the audit trail: the network's administration. */
    ADMINISTER(false, EnumSet.noneOf(Role.class), "administering the network", null);

    private final boolean ofPartnership;
    private final Set<Role> roles;
    private final String act;
    private final String verb;

    Permission(boolean ofPartnership, Set<Role> roles, String act, String verb) {
        this.ofPartnership = ofPartnership;
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
        return ofPartnership && partnershipSlug != null && caller.roles().contains(Role.PARTNER)
                && partnershipSlug.equals(caller.partnership());
    }

    /** Why the caller is refused, in the caller's terms. */
    String refusal(CurrentCaller caller, String partnershipSlug) {
        if (caller.isAnonymous()) {
            return act + " needs a token";
        }
        if (ofPartnership && partnershipSlug != null) {
            return "this token may not " + verb + " " + partnershipSlug;
        }
        return act + " is for " + who();
    }

    private String who() {
        if (this == ADMINISTER) {
            return "administrators";
        }
        StringBuilder who = new StringBuilder(ofPartnership ? "the partnership's partners, " : "");
        roles.forEach(r -> who.append(r.name().toLowerCase()).append("s, "));
        return who.append("and admins").toString().replace(", and", " and");
    }
}
