package ca.cmp.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.Network;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two real partnerships, onboarded through the API, each with its own connector and programs: A's partner can
 * read none of B's private data (contact, connectors, their settings, sync runs) and change nothing of B's
 * (programs, connectors, the partnership itself); every attempt is refused and audited, and B is left as it was.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoPartnershipsTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    String a;
    String b;
    String bId;
    String bConnector;

    String onboard(String slug, Map<String, Object> region) {
        return graphQl.documentName("createPartnership").variable("input", Map.of("slug", slug,
                "name", "Partnership " + slug, "contact", slug + "@example.org", "region", Map.of("geometry", region)))
                .execute().path("createPartnership.partnership.id").entity(String.class).get();
    }

    String connectorAndPrograms(String slug, double lat, double lon) throws Exception {
        Callers.partnerOf(slug);
        Path feed = Files.createDirectories(Path.of("target/test-imports", slug)).resolve("feed.csv");
        Files.writeString(feed, "id,name,latitude,longitude,radius_km\n" + slug + "-1,Program of " + slug + ","
                + lat + "," + lon + ",5\n");
        String id = graphQl.documentName("registerConnector").variable("partnership", slug)
                .variable("connector", Map.of("name", "feed", "kind", "CSV", "location", feed.toString()))
                .execute().path("registerConnector.connector.id").entity(String.class).get();
        graphQl.documentName("runConnector").variable("id", id).variable("wait", true).execute()
                .path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        return id;
    }

    @BeforeAll
    void twoPartnerships() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        a = "iso-a-" + suffix;
        b = "iso-b-" + suffix;
        Callers.as("iso-admin", Role.ADMIN, null);
        onboard(a, Network.box(-75.9, 45.2, -75.5, 45.5));
        bId = onboard(b, Network.box(-73.8, 45.4, -73.4, 45.7));
        connectorAndPrograms(a, 45.42, -75.69);
        bConnector = connectorAndPrograms(b, 45.50, -73.57);
        Callers.anonymous();
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    String type(GraphQlTester.Response r, String field) {
        return r.path(field + ".__typename").entity(String.class).get();
    }

    boolean forbidden(GraphQlTester.Response r) {
        boolean[] refused = new boolean[1];
        r.errors().satisfy(errors -> refused[0] = errors.stream().anyMatch(e -> e.getErrorType() == ErrorType.FORBIDDEN));
        return refused[0];
    }

    @Test
    void aPartnerOfACanNeitherReadNorChangeB() {
        String refusals = "SELECT count(*) FROM audit_event WHERE outcome = 'REFUSED' AND subject = ?";
        long before = jdbc.queryForObject(refusals, Long.class, "partner-" + a);
        String bState = jdbc.queryForObject("""
                SELECT string_agg(p.name || p.status || p.last_changed_at, ',' ORDER BY p.id) || (SELECT c.name ||
                       c.location || c.enabled FROM connector c WHERE c.id = ?::uuid)
                FROM program p JOIN partnership r ON r.id = p.partnership_id WHERE r.slug = ?""", String.class,
                bConnector, b);
        Callers.partnerOf(a);

        // B's private data.
        graphQl.document("query($id: ID!) { partnership(id: $id) { slug contact } }").variable("id", bId).execute()
                .path("partnership.contact").valueIsNull();
        assertThat(forbidden(graphQl.document("query($p: ID!) { connectors(partnership: $p) { id location } }")
                .variable("p", b).execute())).isTrue();
        assertThat(forbidden(graphQl.document("query($id: ID!) { connector(id: $id) { location mapping } }")
                .variable("id", bConnector).execute())).isTrue();
        assertThat(forbidden(graphQl.document("query($p: ID!) { syncRuns(partnership: $p) { id } }")
                .variable("p", b).execute())).isTrue();

        // B's programs.
        assertThat(type(graphQl.documentName("publishPrograms").variable("partnership", b)
                .variable("programs", List.of(Map.of("sourceId", b + "-1", "name", "Hijacked",
                        "sites", List.of(Map.of("latitude", 45.5, "longitude", -73.57))))).execute(),
                "publishPrograms")).isEqualTo("NotAllowed");
        assertThat(type(graphQl.document("""
                mutation($p: ID!, $s: [String!]!) { retirePrograms(partnership: $p, sourceIds: $s) { __typename } }""")
                .variable("p", b).variable("s", List.of(b + "-1")).execute(), "retirePrograms"))
                .isEqualTo("NotAllowed");

        // B's connectors.
        assertThat(type(graphQl.documentName("registerConnector").variable("partnership", b)
                .variable("connector", Map.of("name", "intruder", "kind", "CSV", "location", "/etc/hosts"))
                .execute(), "registerConnector")).isEqualTo("NotAllowed");
        assertThat(type(graphQl.document("""
                mutation($id: ID!) { updateConnector(id: $id, connector: {name: "x", kind: CSV, location: "/etc/hosts"})
                  { __typename } }""").variable("id", bConnector).execute(), "updateConnector"))
                .isEqualTo("NotAllowed");
        assertThat(type(graphQl.documentName("runConnector").variable("id", bConnector).variable("wait", true)
                .execute(), "runConnector")).isEqualTo("NotAllowed");
        assertThat(type(graphQl.documentName("disableConnector").variable("id", bConnector).execute(),
                "disableConnector")).isEqualTo("NotAllowed");
        assertThat(type(graphQl.documentName("deleteConnector").variable("id", bConnector).execute(),
                "deleteConnector")).isEqualTo("NotAllowed");

        // B itself.
        assertThat(type(graphQl.documentName("updatePartnership").variable("id", b)
                .variable("changes", Map.of("contact", "intruder@example.org")).execute(), "updatePartnership"))
                .isEqualTo("NotAllowed");
        assertThat(type(graphQl.documentName("retirePartnership").variable("id", b).execute(), "retirePartnership"))
                .isEqualTo("NotAllowed");

        assertThat(jdbc.queryForObject(refusals, Long.class, "partner-" + a)).isEqualTo(before + 12);
        assertThat(jdbc.queryForObject("""
                SELECT string_agg(p.name || p.status || p.last_changed_at, ',' ORDER BY p.id) || (SELECT c.name ||
                       c.location || c.enabled FROM connector c WHERE c.id = ?::uuid)
                FROM program p JOIN partnership r ON r.id = p.partnership_id WHERE r.slug = ?""", String.class,
                bConnector, b)).isEqualTo(bState);
        assertThat(jdbc.queryForObject("SELECT contact || (retired_at IS NULL) FROM partnership WHERE slug = ?",
                String.class, b)).isEqualTo(b + "@example.org" + "true");
    }

    @Test
    void eachPartnerStillManagesItsOwn() {
        Callers.partnerOf(b);
        graphQl.document("query($p: ID!) { connectors(partnership: $p) { id } }").variable("p", b).execute()
                .path("connectors[*].id").entityList(String.class).containsExactly(bConnector);
        graphQl.document("query($id: ID!) { partnership(id: $id) { contact } }").variable("id", bId).execute()
                .path("partnership.contact").entity(String.class).isEqualTo(b + "@example.org");
    }
}
