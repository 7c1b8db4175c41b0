package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/** A connector can be disabled (it stops running) and deleted (its runs and programs stay). */
@HubTest
class ConnectorRemovalTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    Partnership mine;
    String connectorId;

    @BeforeEach
    void connector() throws Exception {
        mine = fixtures.partnership("Removal");
        Callers.partnerOf(mine.getSlug());
        Path feed = Files.createDirectories(Path.of("target/test-imports", mine.getSlug())).resolve("feed.csv");
        Files.writeString(feed, "id,name,latitude,longitude\nr1,Removal program one,43.65,-79.38\n"
                + "r2,Removal program two,43.70,-79.40\n");
        connectorId = graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", Map.of("name", "removal", "kind", "CSV", "location", feed.toString(),
                        "schedule", "0 0 3 * * *", "mapping", Map.of("defaults", Map.of("radiusKm", 3))))
                .execute().path("registerConnector.connector.id").entity(String.class).get();
        graphQl.documentName("runConnector").variable("id", connectorId).variable("wait", true).execute()
                .path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    @Test
    void aDisabledConnectorNeitherRunsNorIsScheduled() {
        GraphQlTester.Response disabled = graphQl.documentName("disableConnector").variable("id", connectorId)
                .execute();
        disabled.path("disableConnector.connector.enabled").entity(Boolean.class).isEqualTo(false);
        disabled.path("disableConnector.connector.nextRunAt").valueIsNull();
        graphQl.documentName("runConnector").variable("id", connectorId).variable("wait", true).execute()
                .path("runConnector.__typename").entity(String.class).isEqualTo("ConnectorDisabled");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_run WHERE connector_id = ?::uuid", Long.class,
                connectorId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'disableConnector' AND target = ?
                  AND partnership = ? AND outcome = 'SUCCEEDED'""", Long.class, "connector:" + connectorId,
                mine.getSlug())).isEqualTo(1);
    }

    @Test
    void aDeletedConnectorIsGoneButItsRunsAndProgramsStay() {
        graphQl.documentName("deleteConnector").variable("id", connectorId).execute()
                .path("deleteConnector.id").entity(String.class).isEqualTo(connectorId);
        graphQl.document("query($id: ID!) { connector(id: $id) { id } }").variable("id", connectorId).execute()
                .path("connector").valueIsNull();
        graphQl.document("query($p: ID!) { connectors(partnership: $p) { id } }").variable("p", mine.getSlug())
                .execute().path("connectors").entityList(Object.class).hasSize(0);
        GraphQlTester.Response runs = graphQl.document("""
                query($p: ID!) { syncRuns(partnership: $p) { connectorId source status counts { inserted } } }""")
                .variable("p", mine.getSlug()).execute();
        runs.path("syncRuns[0].connectorId").entity(String.class).isEqualTo(connectorId);
        runs.path("syncRuns[0].source").entity(String.class).isEqualTo("connector:" + connectorId);
        runs.path("syncRuns[0].counts.inserted").entity(Integer.class).isEqualTo(2);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM program WHERE partnership_id = ? AND status = 'ACTIVE' AND source = ?""",
                Long.class, mine.getId(), "connector:" + connectorId)).isEqualTo(2);
        graphQl.documentName("deleteConnector").variable("id", connectorId).execute()
                .path("deleteConnector.__typename").entity(String.class).isEqualTo("UnknownConnector");
        graphQl.documentName("disableConnector").variable("id", UUID.randomUUID().toString()).execute()
                .path("disableConnector.__typename").entity(String.class).isEqualTo("UnknownConnector");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit_event WHERE action = 'deleteConnector' AND target = ?
                  AND outcome = 'SUCCEEDED'""", Long.class, "connector:" + connectorId)).isEqualTo(1);
    }

    @Test
    void anotherPartnershipsPartnerCannotDisableOrDelete() {
        Callers.partnerOf("someone-else");
        graphQl.documentName("disableConnector").variable("id", connectorId).execute()
                .path("disableConnector.__typename").entity(String.class).isEqualTo("NotAllowed");
        graphQl.documentName("deleteConnector").variable("id", connectorId).execute()
                .path("deleteConnector.__typename").entity(String.class).isEqualTo("NotAllowed");
        assertThat(jdbc.queryForObject("SELECT enabled FROM connector WHERE id = ?::uuid", Boolean.class,
                connectorId)).isTrue();
    }
}
