package ca.cmp.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Organizations ask to join (no token, a few times an hour per address); their requests stay PENDING and unseen
 * by the public until an administrator approves (a partnership is born, with the request's region) or declines;
 * each step is in the audit trail.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinRequestTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    ExecutionGraphQlService service;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CensusLoader loader;

    @Autowired
    CensusDatasets datasets;

    @BeforeAll
    void census() {
        Network.censusDivisions(loader, datasets);
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    static Map<String, Object> request(String name, Map<String, Object> region) {
        return Map.of("name", name, "contact", "coordinator@example.org", "website", "https://example.org",
                "message", "We mentor youth in the Yukon", "region", region);
    }

    String ask(GraphQlTester from, String name) {
        GraphQlTester.Response r = from.documentName("requestToJoin").variable("request", request(name,
                Map.of("census", Map.of("dataset", "census-divisions", "codes", List.of("6001"))))).execute();
        r.path("requestToJoin.__typename").entity(String.class).isEqualTo("JoinRequestSaved");
        r.path("requestToJoin.request.status").entity(String.class).isEqualTo("PENDING");
        return r.path("requestToJoin.request.id").entity(String.class).get();
    }

    @Test
    void aRequestStaysPendingAndUnseenUntilApprovedIntoAPartnership() {
        String name = "Yukon Mentoring " + UUID.randomUUID();
        String id = ask(Network.fromFreshAddress(service), name);

        // The public sees neither the request nor a partnership.
        graphQl.documentName("partnerships").execute().path("partnerships[*].name").entityList(String.class)
                .doesNotContain(name);
        graphQl.documentName("joinRequests").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        Callers.partnerOf("demo-toronto");
        graphQl.documentName("joinRequests").execute().errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN).verify();
        graphQl.documentName("approveJoinRequest").variable("id", id).variable("slug", "never-made").execute()
                .path("approveJoinRequest.__typename").entity(String.class).isEqualTo("NotAllowed");

        Callers.as("admin-join", Role.ADMIN, null);
        GraphQlTester.Response pending = graphQl.documentName("joinRequests").execute();
        List<String> pendingIds = pending.path("joinRequests[*].id").entityList(String.class).get();
        assertThat(pendingIds).contains(id);
        int i = pendingIds.indexOf(id);
        pending.path("joinRequests[" + i + "].contact").entity(String.class).isEqualTo("coordinator@example.org");
        pending.path("joinRequests[" + i + "].region.type").entity(String.class).isEqualTo("MultiPolygon");

        String slug = "yukon-" + UUID.randomUUID().toString().substring(0, 8);
        GraphQlTester.Response approved = graphQl.documentName("approveJoinRequest").variable("id", id)
                .variable("slug", slug).variable("provinces", List.of("YT")).variable("note", "welcome").execute();
        approved.path("approveJoinRequest.__typename").entity(String.class).isEqualTo("PartnershipSaved");
        approved.path("approveJoinRequest.partnership.name").entity(String.class).isEqualTo(name);
        approved.path("approveJoinRequest.partnership.status").entity(String.class).isEqualTo("ACTIVE");
        approved.path("approveJoinRequest.partnership.contact").entity(String.class)
                .isEqualTo("coordinator@example.org");
        approved.path("approveJoinRequest.partnership.region.type").entity(String.class).isEqualTo("MultiPolygon");
        assertThat(jdbc.queryForObject("""
                SELECT ST_Equals(p.region, j.region) FROM partnership p JOIN join_request j ON j.partnership_id = p.id
                WHERE j.id = ?::uuid""", Boolean.class, id)).isTrue();

        GraphQlTester.Response decided = graphQl.documentName("joinRequests").variable("status", "APPROVED")
                .variable("first", 500).execute();
        int j = decided.path("joinRequests[*].id").entityList(String.class).get().indexOf(id);
        decided.path("joinRequests[" + j + "].partnership.slug").entity(String.class).isEqualTo(slug);
        decided.path("joinRequests[" + j + "].decidedBy").entity(String.class).isEqualTo("admin-join");

        GraphQlTester.Response twice = graphQl.documentName("approveJoinRequest").variable("id", id)
                .variable("slug", slug + "-2").execute();
        twice.path("approveJoinRequest.field").entity(String.class).isEqualTo("id");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM partnership WHERE slug = ?", Long.class, slug + "-2"))
                .isZero();

        Callers.anonymous();
        graphQl.documentName("partnerships").execute().path("partnerships[*].slug").entityList(String.class)
                .contains(slug);

        Callers.as("admin-join", Role.ADMIN, null);
        GraphQlTester.Response trail = graphQl.documentName("auditEvents")
                .variable("filter", Map.of("partnership", slug)).execute();
        trail.path("auditEvents.events[*].operation").entityList(String.class).contains("approveJoinRequest");
        List<String> steps = jdbc.queryForList("""
                SELECT action || ':' || outcome FROM audit_event WHERE target = ? ORDER BY id""", String.class,
                "join-request:" + id);
        assertThat(steps).containsSubsequence("requestToJoin:SUCCEEDED", "approveJoinRequest:SUCCEEDED",
                "approveJoinRequest:INVALID");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'approveJoinRequest' AND outcome = 'REFUSED'
                  AND subject = 'partner-demo-toronto'""", Long.class)).isPositive();
    }

    @Test
    void aDeclinedRequestMakesNoPartnershipAndCannotBeApprovedAfter() {
        String id = ask(Network.fromFreshAddress(service), "Declined " + UUID.randomUUID());
        Callers.as("admin-join", Role.ADMIN, null);
        GraphQlTester.Response declined = graphQl.documentName("declineJoinRequest").variable("id", id)
                .variable("reason", "outside the network's mandate").execute();
        declined.path("declineJoinRequest.request.status").entity(String.class).isEqualTo("DECLINED");
        declined.path("declineJoinRequest.request.decisionNote").entity(String.class)
                .isEqualTo("outside the network's mandate");
        declined.path("declineJoinRequest.request.partnership").valueIsNull();
        String slug = "declined-" + UUID.randomUUID().toString().substring(0, 8);
        graphQl.documentName("approveJoinRequest").variable("id", id).variable("slug", slug).execute()
                .path("approveJoinRequest.field").entity(String.class).isEqualTo("id");
        graphQl.documentName("declineJoinRequest").variable("id", id).execute()
                .path("declineJoinRequest.field").entity(String.class).isEqualTo("id");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM partnership WHERE slug = ?", Long.class, slug)).isZero();
        graphQl.documentName("declineJoinRequest").variable("id", UUID.randomUUID().toString()).execute()
                .path("declineJoinRequest.__typename").entity(String.class).isEqualTo("UnknownJoinRequest");
        graphQl.documentName("approveJoinRequest").variable("id", UUID.randomUUID().toString())
                .variable("slug", slug).execute()
                .path("approveJoinRequest.__typename").entity(String.class).isEqualTo("UnknownJoinRequest");
    }

    @Test
    void approvingWithATakenOrBadSlugNamesTheSlug() {
        String id = ask(Network.fromFreshAddress(service), "Slug clash " + UUID.randomUUID());
        Callers.as("admin-join", Role.ADMIN, null);
        graphQl.documentName("approveJoinRequest").variable("id", id).variable("slug", "Bad Slug").execute()
                .path("approveJoinRequest.field").entity(String.class).isEqualTo("slug");
        String taken = jdbc.queryForObject("SELECT slug FROM partnership LIMIT 1", String.class);
        graphQl.documentName("approveJoinRequest").variable("id", id).variable("slug", taken).execute()
                .path("approveJoinRequest.field").entity(String.class).isEqualTo("slug");
        assertThat(jdbc.queryForObject("SELECT status FROM join_request WHERE id = ?::uuid", String.class, id))
                .isEqualTo("PENDING");
    }

    @Test
    void aBadRegionNamesItsFieldAndStoresNothing() {
        String name = "Abroad " + UUID.randomUUID();
        GraphQlTester.Response r = Network.fromFreshAddress(service).documentName("requestToJoin")
                .variable("request", request(name, Map.of("geometry", Network.box(2.2, 48.8, 2.4, 48.9))))
                .execute();
        r.path("requestToJoin.__typename").entity(String.class).isEqualTo("InvalidPartnership");
        r.path("requestToJoin.field").entity(String.class).isEqualTo("request.region.geometry");
        GraphQlTester.Response noContact = Network.fromFreshAddress(service).documentName("requestToJoin")
                .variable("request", Map.of("name", name, "contact", " ", "region", Map.of("geometry",
                        Network.box(-135.2, 60.6, -134.9, 60.8)))).execute();
        noContact.path("requestToJoin.field").entity(String.class).isEqualTo("request.contact");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM join_request WHERE name = ?", Long.class, name))
                .isZero();
    }

    @Test
    void oneAddressMayAskOnlyAFewTimesAnHour() {
        GraphQlTester same = Network.fromFreshAddress(service);
        for (int i = 0; i < 3; i++) {
            ask(same, "Eager " + i + " " + UUID.randomUUID());
        }
        String name = "One too many " + UUID.randomUUID();
        GraphQlTester.Response limited = same.documentName("requestToJoin").variable("request", request(name,
                Map.of("geometry", Network.box(-135.2, 60.6, -134.9, 60.8)))).execute();
        limited.path("requestToJoin.__typename").entity(String.class).isEqualTo("TooManyRequests");
        limited.path("requestToJoin.perHour").entity(Integer.class).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM join_request WHERE name = ?", Long.class, name))
                .isZero();
        // Another address is not held back.
        ask(Network.fromFreshAddress(service), "Neighbour " + UUID.randomUUID());
    }
}
