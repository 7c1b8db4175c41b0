package ca.cmp.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The access model as a table: every permission for every kind of caller, on its own partnership and another's. */
class PermissionTest {

    static final CurrentCaller ANONYMOUS = CurrentCaller.ANONYMOUS;
    static final CurrentCaller PARTNER_OF_A = new CurrentCaller("p", Set.of(Role.PARTNER), "a");
    static final CurrentCaller FUNDER = new CurrentCaller("f", Set.of(Role.FUNDER), null);
    static final CurrentCaller PLANNER = new CurrentCaller("pl", Set.of(Role.PLANNER), null);
    static final CurrentCaller ADMIN = new CurrentCaller("ad", Set.of(Role.ADMIN), null);
    static final CurrentCaller COORDINATOR_OF_A = new CurrentCaller("c", Set.of(Role.COORDINATOR), "a");
    // A partner's token that names no partnership holds no partnership's permissions.
    static final CurrentCaller PARTNER_OF_NONE = new CurrentCaller("x", Set.of(Role.PARTNER), null);

    /** Permission, caller, partnership asked about, and whether it is held. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Permission p : Permission.values()) {
            rows.add(Arguments.of(p, "anonymous", ANONYMOUS, "a", false));
            rows.add(Arguments.of(p, "admin", ADMIN, "a", true));
            rows.add(Arguments.of(p, "partner of none", PARTNER_OF_NONE, "a", false));
            rows.add(Arguments.of(p, "partner of b", PARTNER_OF_A, "b", false));
        }
        rows.add(Arguments.of(Permission.WRITE_PROGRAMS, "partner of a", PARTNER_OF_A, "a", true));
        rows.add(Arguments.of(Permission.WRITE_PROGRAMS, "planner", PLANNER, "a", false));
        rows.add(Arguments.of(Permission.WRITE_PROGRAMS, "funder", FUNDER, "a", false));
        rows.add(Arguments.of(Permission.MANAGE_CONNECTORS, "partner of a", PARTNER_OF_A, "a", true));
        rows.add(Arguments.of(Permission.MANAGE_CONNECTORS, "planner", PLANNER, "a", true));
        rows.add(Arguments.of(Permission.MANAGE_CONNECTORS, "funder", FUNDER, "a", false));
        rows.add(Arguments.of(Permission.READ_SYNC_REPORTS, "partner of a", PARTNER_OF_A, "a", true));
        rows.add(Arguments.of(Permission.READ_SYNC_REPORTS, "planner", PLANNER, "a", true));
        rows.add(Arguments.of(Permission.READ_SYNC_REPORTS, "funder", FUNDER, "a", false));
        for (Permission p : List.of(Permission.LOAD_CENSUS, Permission.PLAN)) {
            rows.add(Arguments.of(p, "planner", PLANNER, null, true));
            rows.add(Arguments.of(p, "funder", FUNDER, null, false));
            rows.add(Arguments.of(p, "partner of a", PARTNER_OF_A, "a", false));
        }
        rows.add(Arguments.of(Permission.READ_DETAILED_FIGURES, "funder", FUNDER, null, true));
        rows.add(Arguments.of(Permission.READ_DETAILED_FIGURES, "planner", PLANNER, null, true));
        rows.add(Arguments.of(Permission.READ_DETAILED_FIGURES, "partner of a", PARTNER_OF_A, "a", false));
        rows.add(Arguments.of(Permission.MANAGE_CLIENTS, "coordinator of a", COORDINATOR_OF_A, "a", true));
        rows.add(Arguments.of(Permission.MANAGE_CLIENTS, "coordinator of a", COORDINATOR_OF_A, "b", false));
        rows.add(Arguments.of(Permission.MANAGE_CLIENTS, "partner of a", PARTNER_OF_A, "a", false));
        rows.add(Arguments.of(Permission.MANAGE_CLIENTS, "planner", PLANNER, "a", false));
        rows.add(Arguments.of(Permission.MANAGE_CONNECTORS, "coordinator of a", COORDINATOR_OF_A, "a", true));
        rows.add(Arguments.of(Permission.READ_SYNC_REPORTS, "coordinator of a", COORDINATOR_OF_A, "a", true));
        rows.add(Arguments.of(Permission.WRITE_PROGRAMS, "coordinator of a", COORDINATOR_OF_A, "a", false));
        rows.add(Arguments.of(Permission.PLAN, "coordinator of a", COORDINATOR_OF_A, "a", false));
        rows.add(Arguments.of(Permission.ADMINISTER, "coordinator of a", COORDINATOR_OF_A, "a", false));
        rows.add(Arguments.of(Permission.ADMINISTER, "planner", PLANNER, null, false));
        rows.add(Arguments.of(Permission.ADMINISTER, "partner of a", PARTNER_OF_A, "a", false));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} for {1} on {3}: {4}")
    @MethodSource("table")
    void holdsExactlyWhereTheModelSays(Permission permission, String who, CurrentCaller caller, String partnership,
            boolean held) {
        assertThat(permission.heldBy(caller, partnership)).isEqualTo(held);
    }

    @Test
    void refusalsSayWhatIsMissingInTheCallersTerms() {
        assertThat(Permission.WRITE_PROGRAMS.refusal(ANONYMOUS, "a")).isEqualTo("changing programs needs a token");
        assertThat(Permission.WRITE_PROGRAMS.refusal(PARTNER_OF_A, "b"))
                .isEqualTo("this token may not change the records of b");
        assertThat(Permission.PLAN.refusal(FUNDER, null)).isEqualTo("planning is for planners and admins");
        assertThat(Permission.READ_DETAILED_FIGURES.refusal(PARTNER_OF_A, null))
                .isEqualTo("reading detailed figures is for funders, planners and admins");
        assertThat(Permission.ADMINISTER.refusal(PLANNER, null))
                .isEqualTo("administering the network is for administrators");
    }
}
