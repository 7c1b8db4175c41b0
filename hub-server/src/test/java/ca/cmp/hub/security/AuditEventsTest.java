package ca.cmp.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Administrators page through the audit trail, filtered by actor, partnership, operation, outcome and time. */
@HubTest
class AuditEventsTest {

    @Autowired
    GraphQlTester graphQl;

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    String createPartnership(String slug) {
        return graphQl.documentName("createPartnership").variable("input", Map.of("slug", slug, "name", slug))
                .execute().path("createPartnership.__typename").entity(String.class).get();
    }

    @Test
    void filtersAndPagesNewestFirst() {
        String admin = "audit-admin-" + UUID.randomUUID();
        String stranger = "audit-partner-" + UUID.randomUUID();
        String slug = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Instant start = Instant.now().minusSeconds(1);
        Callers.as(stranger, Role.PARTNER, "elsewhere");
        assertThat(createPartnership(slug)).isEqualTo("NotAllowed");
        Callers.as(admin, Role.ADMIN, null);
        assertThat(createPartnership(slug)).isEqualTo("PartnershipSaved");
        assertThat(createPartnership(slug)).isEqualTo("InvalidPartnership");
        graphQl.documentName("retirePartnership").variable("id", slug).execute();

        GraphQlTester.Response bySlug = graphQl.documentName("auditEvents")
                .variable("filter", Map.of("partnership", slug)).execute();
        bySlug.path("auditEvents.events[*].operation").entityList(String.class)
                .containsExactly("retirePartnership", "createPartnership", "createPartnership", "createPartnership");
        bySlug.path("auditEvents.events[*].outcome").entityList(String.class)
                .containsExactly("SUCCEEDED", "INVALID", "SUCCEEDED", "REFUSED");
        bySlug.path("auditEvents.events[3].actor").entity(String.class).isEqualTo(stranger);
        bySlug.path("auditEvents.events[3].roles").entityList(String.class).containsExactly("PARTNER");
        bySlug.path("auditEvents.events[0].detail").valueIsNull();

        GraphQlTester.Response first = graphQl.documentName("auditEvents")
                .variable("filter", Map.of("actor", admin)).variable("first", 2).execute();
        first.path("auditEvents.events[*].operation").entityList(String.class)
                .containsExactly("retirePartnership", "createPartnership");
        first.path("auditEvents.hasNextPage").entity(Boolean.class).isEqualTo(true);
        String cursor = first.path("auditEvents.endCursor").entity(String.class).get();
        GraphQlTester.Response next = graphQl.documentName("auditEvents")
                .variable("filter", Map.of("actor", admin)).variable("first", 2).variable("after", cursor).execute();
        next.path("auditEvents.events[*].outcome").entityList(String.class).containsExactly("SUCCEEDED");
        next.path("auditEvents.hasNextPage").entity(Boolean.class).isEqualTo(false);

        graphQl.documentName("auditEvents").variable("filter", Map.of("partnership", slug, "outcome", "REFUSED",
                "operation", "createPartnership", "since", start.toString())).execute()
                .path("auditEvents.events[*].actor").entityList(String.class).containsExactly(stranger);
        graphQl.documentName("auditEvents").variable("filter", Map.of("partnership", slug, "until",
                start.toString())).execute().path("auditEvents.events").entityList(Object.class).hasSize(0);
    }

    @Test
    void theTrailIsForAdministratorsAndAskingIsAudited() {
        String planner = "audit-planner-" + UUID.randomUUID();
        Callers.as(planner, Role.PLANNER, null);
        graphQl.documentName("auditEvents").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        Callers.as("audit-admin", Role.ADMIN, null);
        graphQl.documentName("auditEvents").variable("filter", Map.of("actor", planner)).execute()
                .path("auditEvents.events[*].operation").entityList(String.class).containsExactly("auditEvents");
    }

    @Test
    void badPagingArgumentsAreNamed() {
        Callers.as("audit-admin", Role.ADMIN, null);
        for (Map.Entry<String, Object> bad : List.<Map.Entry<String, Object>>of(Map.entry("first", 0),
                Map.entry("after", "x"))) {
            graphQl.documentName("auditEvents").variable(bad.getKey(), bad.getValue()).execute().errors()
                    .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST
                            && bad.getKey().equals(e.getExtensions().get("argument")))
                    .verify();
        }
    }
}
