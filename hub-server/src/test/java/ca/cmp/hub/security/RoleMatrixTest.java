package ca.cmp.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who may do what, over every mutation and sensitive query, for every kind of caller: the table below is the
 * access model of the README, checked cell by cell. A refusal is a NotAllowed answer (mutations and analyses) or
 * a FORBIDDEN error (restricted reads); every refusal is audited.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

    enum Caller { ANONYMOUS, PARTNER_OWN, PARTNER_OTHER, COORDINATOR_OWN, COORDINATOR_OTHER, FUNDER, PLANNER, ADMIN }

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.graphql.ExecutionGraphQlService service;

    Partnership own;
    Partnership other;
    String connectorId;

    @BeforeAll
    void data() throws Exception {
        own = fixtures.partnership("Matrix own");
        other = fixtures.partnership("Matrix other");
        Path feed = Files.createDirectories(Path.of("target/test-imports", own.getSlug())).resolve("feed.csv");
        Files.writeString(feed, "id,name,latitude,longitude\nm1,Matrix program,43.65,-79.38\n");
        Callers.as("admin", Role.ADMIN, null);
        connectorId = graphQl.document("""
                mutation($p: ID!, $c: ConnectorInput!) { registerConnector(partnership: $p, connector: $c) {
                  ... on ConnectorSaved { connector { id } } } }""").variable("p", own.getSlug())
                .variable("c", Map.of("name", "matrix", "kind", "CSV", "location", feed.toString())).execute()
                .path("registerConnector.connector.id").entity(String.class).get();
        jdbc.update("UPDATE partnership SET contact = 'own@example.org' WHERE id = ?", own.getId());
        Callers.anonymous();
    }

    /** Runs {@code work} as an administrator, then puts the current caller back. */
    <T> T asAdmin(java.util.function.Supplier<T> work) {
        org.springframework.security.core.Authentication current = org.springframework.security.core.context
                .SecurityContextHolder.getContext().getAuthentication();
        Callers.as("matrix-admin", Role.ADMIN, null);
        try {
            return work.get();
        } finally {
            org.springframework.security.core.context.SecurityContextHolder.getContext().setAuthentication(current);
        }
    }

    /** A connector of {@code own} that only this operation uses (disabling or deleting the shared one would change the others). */
    String freshConnector() {
        return asAdmin(() -> graphQl.document("""
                mutation($p: ID!, $c: ConnectorInput!) { registerConnector(partnership: $p, connector: $c) {
                  ... on ConnectorSaved { connector { id } } } }""").variable("p", own.getSlug())
                .variable("c", Map.of("name", "fresh-" + java.util.UUID.randomUUID(), "kind", "CSV", "location",
                        "target/test-imports/" + own.getSlug() + "/feed.csv")).execute()
                .path("registerConnector.connector.id").entity(String.class).get());
    }

    /** A partner client of {@code own} that only this operation uses, made by an administrator. */
    String freshPartnerClient() {
        String clientId = "mx-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        return asAdmin(() -> graphQl.documentName("createClient").variable("input", Map.of("clientId", clientId,
                "name", "Matrix client", "roles", List.of("PARTNER"), "partnership", own.getSlug())).execute()
                .path("createClient.client.clientId").entity(String.class).get());
    }

    /** A pending request to join, asked anonymously from an address of its own. */
    String pendingRequest() {
        return ca.cmp.hub.support.Network.fromFreshAddress(service).documentName("requestToJoin")
                .variable("request", Map.of("name", "Matrix request", "contact", "m@example.org", "region",
                        Map.of("geometry", ca.cmp.hub.support.Network.box(-80, 45, -79, 46)))).execute()
                .path("requestToJoin.request.id").entity(String.class).get();
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    void become(Caller caller) {
        switch (caller) {
            case ANONYMOUS -> Callers.anonymous();
            case PARTNER_OWN -> Callers.partnerOf(own.getSlug());
            case PARTNER_OTHER -> Callers.partnerOf(other.getSlug());
            case COORDINATOR_OWN -> Callers.as("coordinator-own", Role.COORDINATOR, own.getSlug());
            case COORDINATOR_OTHER -> Callers.as("coordinator-other", Role.COORDINATOR, other.getSlug());
            case FUNDER -> Callers.as("funder", Role.FUNDER, null);
            case PLANNER -> Callers.as("planner", Role.PLANNER, null);
            case ADMIN -> Callers.as("admin", Role.ADMIN, null);
        }
    }

    /** An operation: runs as the current caller and says whether it was refused. */
    record Operation(String name, Function<RoleMatrixTest, Boolean> refused, List<Caller> allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static boolean refusedByType(GraphQlTester.Response response, String path) {
        return response.path(path + ".__typename").entity(String.class).get().equals("NotAllowed");
    }

    static boolean forbidden(GraphQlTester.Response response) {
        List<Boolean> refused = new ArrayList<>();
        response.errors().satisfy(errors -> refused.add(errors.stream()
                .anyMatch(e -> e.getErrorType() == ErrorType.FORBIDDEN)));
        return refused.get(0);
    }

    static final List<Caller> WRITERS = List.of(Caller.PARTNER_OWN, Caller.ADMIN);
    static final List<Caller> MANAGERS = List.of(Caller.PARTNER_OWN, Caller.COORDINATOR_OWN, Caller.PLANNER,
            Caller.ADMIN);
    static final List<Caller> CLIENT_MANAGERS = List.of(Caller.COORDINATOR_OWN, Caller.ADMIN);
    static final List<Caller> PLANNERS = List.of(Caller.PLANNER, Caller.ADMIN);
    static final List<Caller> ADMINS = List.of(Caller.ADMIN);
    static final List<Caller> EVERYONE = List.of(Caller.values());

    static List<Operation> operations() {
        return List.of(
                new Operation("publishPrograms", t -> refusedByType(t.graphQl.document("""
                        mutation($p: ID!) { publishPrograms(partnership: $p, programs: [{sourceId: "x", name: "X",
                          sites: [{latitude: 43.7, longitude: -79.4}]}]) { __typename } }""")
                        .variable("p", t.own.getSlug()).execute(), "publishPrograms"), WRITERS),
                new Operation("retirePrograms", t -> refusedByType(t.graphQl.document("""
                        mutation($p: ID!) { retirePrograms(partnership: $p, sourceIds: ["nothing"]) { __typename } }""")
                        .variable("p", t.own.getSlug()).execute(), "retirePrograms"), WRITERS),
                new Operation("registerConnector", t -> refusedByType(t.graphQl.document("""
                        mutation($p: ID!, $c: ConnectorInput!) { registerConnector(partnership: $p, connector: $c) {
                          __typename } }""").variable("p", t.own.getSlug()).variable("c", Map.of("name",
                        "c-" + java.util.UUID.randomUUID(), "kind", "CSV", "location", "/etc/passwd")).execute(),
                        "registerConnector"), MANAGERS),
                new Operation("updateConnector", t -> refusedByType(t.graphQl.document("""
                        mutation($id: ID!, $c: ConnectorInput!) { updateConnector(id: $id, connector: $c) {
                          __typename } }""").variable("id", t.connectorId).variable("c", Map.of("name", "matrix",
                        "kind", "CSV", "location", "/etc/passwd")).execute(), "updateConnector"), MANAGERS),
                new Operation("runConnector", t -> refusedByType(t.graphQl.document("""
                        mutation($id: ID!) { runConnector(id: $id, wait: true) { __typename } }""")
                        .variable("id", t.connectorId).execute(), "runConnector"), MANAGERS),
                new Operation("connectors", t -> forbidden(t.graphQl.document("""
                        query($p: ID!) { connectors(partnership: $p) { id location } }""")
                        .variable("p", t.own.getSlug()).execute()), MANAGERS),
                new Operation("syncRuns", t -> forbidden(t.graphQl.document("""
                        query($p: ID!) { syncRuns(partnership: $p) { id } }""")
                        .variable("p", t.own.getSlug()).execute()), MANAGERS),
                new Operation("expansionPlan", t -> refusedByType(t.graphQl.document("""
                        { expansionPlan(dataset: "none", sites: 1, radiusKm: 2, candidates: {gridKm: 1}) {
                          __typename } }""").execute(), "expansionPlan"), PLANNERS),
                new Operation("createScenario", t -> refusedByType(t.graphQl.document("""
                        mutation { createScenario(scenario: {name: "m", changes: [{kind: ADD, latitude: 43.7,
                          longitude: -79.4, radiusKm: 2}]}) { __typename } }""").execute(), "createScenario"),
                        PLANNERS),
                new Operation("deleteScenario", t -> refusedByType(t.graphQl.document("""
                        mutation { deleteScenario(id: "00000000-0000-0000-0000-000000000000") { __typename } }""")
                        .execute(), "deleteScenario"), PLANNERS),
                new Operation("compareScenario", t -> refusedByType(t.graphQl.document("""
                        { compareScenario(id: "00000000-0000-0000-0000-000000000000", dataset: "none") {
                          __typename } }""").execute(), "compareScenario"), PLANNERS),
                new Operation("scenarios", t -> forbidden(t.graphQl.document("{ scenarios { id } }").execute()),
                        PLANNERS),
                new Operation("duplicateCandidates", t -> forbidden(t.graphQl.document(
                        "{ duplicateCandidates(first: 1) { hasNextPage } }").execute()), PLANNERS),
                new Operation("confirmDuplicates", t -> refusedByType(t.graphQl.document("""
                        mutation { confirmDuplicates(programIds: ["00000000-0000-0000-0000-000000000000",
                          "00000000-0000-0000-0000-000000000001"]) { __typename } }""").execute(),
                        "confirmDuplicates"), PLANNERS),
                new Operation("dismissDuplicates", t -> refusedByType(t.graphQl.document("""
                        mutation { dismissDuplicates(programIds: ["00000000-0000-0000-0000-000000000000",
                          "00000000-0000-0000-0000-000000000001"]) { __typename } }""").execute(),
                        "dismissDuplicates"), PLANNERS),
                new Operation("loadCensusDataset", t -> refusedByType(t.graphQl.document("""
                        mutation { loadCensusDataset(input: {id: "matrix", level: NEIGHBOURHOOD, title: "t",
                          vintage: "v", source: "s", licence: "l", boundaries: "/etc/passwd", codeProperty: "id",
                          nameProperty: "name", counts: {censusProfile: "/etc/passwd"}}) { __typename } }""")
                        .execute(), "loadCensusDataset"), PLANNERS),
                new Operation("createPartnership", t -> refusedByType(t.graphQl.document("""
                        mutation($s: String!) { createPartnership(input: {slug: $s, name: "Matrix made"}) {
                          __typename } }""").variable("s", "mx-" + java.util.UUID.randomUUID().toString()
                        .substring(0, 8)).execute(), "createPartnership"), ADMINS),
                new Operation("updatePartnership", t -> refusedByType(t.graphQl.document("""
                        mutation($p: ID!) { updatePartnership(id: $p, changes: {description: "matrix"}) {
                          __typename } }""").variable("p", t.own.getSlug()).execute(), "updatePartnership"),
                        ADMINS),
                new Operation("retirePartnership", t -> refusedByType(t.graphQl.document("""
                        mutation($p: ID!) { retirePartnership(id: $p) { __typename } }""")
                        .variable("p", t.fixtures.partnership("Matrix retiring").getSlug()).execute(),
                        "retirePartnership"), ADMINS),
                new Operation("requestToJoin", t -> refusedByType(ca.cmp.hub.support.Network
                        .fromFreshAddress(t.service).document("""
                        mutation { requestToJoin(request: {name: "Matrix", contact: "m@example.org", region: {
                          geometry: {type: "Polygon", coordinates: [[[-80, 45], [-79, 45], [-79, 46], [-80, 45]]]}}})
                          { __typename } }""").execute(), "requestToJoin"), EVERYONE),
                new Operation("approveJoinRequest", t -> {
                    String id = t.pendingRequest();
                    return refusedByType(t.graphQl.document("""
                            mutation($id: ID!, $s: String!) { approveJoinRequest(id: $id, slug: $s) { __typename } }""")
                            .variable("id", id).variable("s", "mxa-" + java.util.UUID.randomUUID().toString()
                                    .substring(0, 8)).execute(), "approveJoinRequest");
                }, ADMINS),
                new Operation("declineJoinRequest", t -> {
                    String id = t.pendingRequest();
                    return refusedByType(t.graphQl.document("""
                            mutation($id: ID!) { declineJoinRequest(id: $id) { __typename } }""")
                            .variable("id", id).execute(), "declineJoinRequest");
                }, ADMINS),
                new Operation("joinRequests", t -> forbidden(t.graphQl.document("{ joinRequests { id contact } }")
                        .execute()), ADMINS),
                new Operation("auditEvents", t -> forbidden(t.graphQl.document(
                        "{ auditEvents(first: 1) { events { id } } }").execute()), ADMINS),
                new Operation("disableConnector", t -> {
                    String id = t.freshConnector();
                    return refusedByType(t.graphQl.document("""
                            mutation($id: ID!) { disableConnector(id: $id) { __typename } }""").variable("id", id)
                            .execute(), "disableConnector");
                }, MANAGERS),
                new Operation("deleteConnector", t -> {
                    String id = t.freshConnector();
                    return refusedByType(t.graphQl.document("""
                            mutation($id: ID!) { deleteConnector(id: $id) { __typename } }""").variable("id", id)
                            .execute(), "deleteConnector");
                }, MANAGERS),
                new Operation("network", t -> forbidden(t.graphQl.document("""
                        { network(dataset: "matrix-none") { totals { youth } } }""").execute()), EVERYONE),
                new Operation("createClient", t -> refusedByType(t.graphQl.documentName("createClient")
                        .variable("input", Map.of("clientId", "mx-" + java.util.UUID.randomUUID().toString()
                                .substring(0, 8), "name", "Matrix made", "roles", List.of("PARTNER"), "partnership",
                                t.own.getSlug())).execute(), "createClient"), CLIENT_MANAGERS),
                new Operation("rotateClientSecret", t -> {
                    String clientId = t.freshPartnerClient();
                    return refusedByType(t.graphQl.documentName("rotateClientSecret").variable("clientId", clientId)
                            .execute(), "rotateClientSecret");
                }, CLIENT_MANAGERS),
                new Operation("revokeClient", t -> {
                    String clientId = t.freshPartnerClient();
                    return refusedByType(t.graphQl.documentName("revokeClient").variable("clientId", clientId)
                            .execute(), "revokeClient");
                }, CLIENT_MANAGERS),
                new Operation("clients", t -> forbidden(t.graphQl.documentName("clients")
                        .variable("partnership", t.own.getSlug()).execute()), CLIENT_MANAGERS));
    }

    static Stream<Arguments> matrix() {
        return operations().stream().flatMap(op -> Stream.of(Caller.values())
                .map(caller -> Arguments.of(op, caller, op.allowed().contains(caller))));
    }

    @ParameterizedTest(name = "{0} as {1}: allowed={2}")
    @MethodSource("matrix")
    void eachCallerMayDoExactlyWhatTheModelSays(Operation operation, Caller caller, boolean allowed) {
        // Refusals only: some operations first make what they act on (a connector, a request to join), audited too.
        String refusals = "SELECT count(*) FROM audit_event WHERE outcome = 'REFUSED'";
        long auditedBefore = jdbc.queryForObject(refusals, Long.class);
        become(caller);
        boolean refused = operation.refused().apply(this);
        assertThat(refused).as("%s as %s refused", operation, caller).isEqualTo(!allowed);
        if (refused) {
            assertThat(jdbc.queryForObject(refusals, Long.class)).as("the refusal is audited")
                    .isGreaterThan(auditedBefore);
        }
    }
}
