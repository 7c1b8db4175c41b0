package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import ca.cmp.hub.connectors.hsds.HsdsTestServer;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Scheduled pulls of an incremental source (HSDS {@code modified_after}) over real HTTP: they read in full once the
 * last full read is older than {@code full-read-every}, so a service gone upstream is retired; and they ask for
 * changes since the start of the last good read, so an edit made upstream while a run was reading is read by the
 * next. The overlap is zero here, so only the watermark's place can make that true. The schedule is driven by
 * calling the scheduler (its own poll is an hour).
 */
@HubTest
@TestPropertySource(properties = {"hub.connectors.allowed-networks=127.0.0.1/32", "hub.connectors.poll-interval=1h",
        "hub.connectors.changes-overlap=0s", "hub.connectors.full-read-every=1d"})
// A context of its own: closed after the class, so its schedulers and pools stop for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConnectorScheduleTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConnectorScheduler scheduler;

    Partnership mine;

    @BeforeEach
    void partnership() {
        mine = fixtures.partnership("Scheduled feeds");
        Callers.partnerOf(mine.getSlug());
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    private String register(HsdsTestServer server) {
        return graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", Map.of("name", "hsds-" + UUID.randomUUID(), "kind", "HSDS_API", "location",
                        server.baseUrl(), "schedule", "0 0 3 * * *", "mapping",
                        Map.of("defaults", Map.of("radiusKm", 5))))
                .execute().path("registerConnector.connector.id").entity(String.class).get();
    }

    private GraphQlTester.Response runNow(String id) {
        return graphQl.documentName("runConnector").variable("id", id).variable("full", false).variable("wait", true)
                .execute();
    }

    /** Makes the connector due and lets the scheduler run it; the run's status, mode and retired count. */
    private Map<String, Object> scheduled(String id) {
        jdbc.update("UPDATE connector SET next_run_at = now() - interval '1 second' WHERE id = ?::uuid", id);
        long before = runs(id);
        scheduler.runDue();
        await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.queryForObject("SELECT count(*) FROM sync_run "
                + "WHERE connector_id = ?::uuid AND status <> 'RUNNING'", Long.class, id) > before);
        return jdbc.queryForMap("SELECT status, mode, retired, triggered_by FROM sync_run WHERE connector_id = ?::uuid "
                + "ORDER BY started_at DESC LIMIT 1", id);
    }

    private long runs(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_run WHERE connector_id = ?::uuid", Long.class, id);
    }

    @Test
    void aServiceGoneUpstreamIsRetiredByTheScheduledFullRead() throws Exception {
        try (HsdsTestServer server = new HsdsTestServer()) {
            String id = register(server);
            runNow(id).path("runConnector.run.mode").entity(String.class).isEqualTo("FULL");
            String gone = server.services.remove(server.services.size() - 1).path("id").asString();

            // The last full read is recent: the scheduled run reads changes only, and cannot see what vanished.
            assertThat(scheduled(id)).containsEntry("status", "SUCCEEDED").containsEntry("mode", "INCREMENTAL")
                    .containsEntry("retired", 0).containsEntry("triggered_by", "schedule");
            assertThat(status(gone)).isEqualTo("ACTIVE");

            // A day on, the scheduled run reads in full and retires it.
            jdbc.update("UPDATE connector SET last_full_sync_at = now() - interval '25 hours' WHERE id = ?::uuid", id);
            assertThat(scheduled(id)).containsEntry("status", "SUCCEEDED").containsEntry("mode", "FULL")
                    .containsEntry("retired", 1);
            assertThat(status(gone)).isEqualTo("RETIRED");
        }
    }

    @Test
    void anEditMadeUpstreamWhileARunReadsIsReadByTheNextRun() throws Exception {
        try (HsdsTestServer server = new HsdsTestServer()) {
            String id = register(server);
            String edited = server.services.get(0).path("id").asString();
            AtomicInteger pages = new AtomicInteger();
            // While the first run reads page 2, the service it read on page 1 is edited upstream.
            server.onRequest = uri -> {
                if (uri.getPath().endsWith("/services") && pages.incrementAndGet() == 2) {
                    server.services.get(0).put("name", "Edited while the first run read");
                    server.services.get(0).put("last_modified", Instant.now().toString());
                }
            };
            runNow(id).path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
            assertThat(pages.get()).isGreaterThan(2);
            assertThat(name(edited)).isNotEqualTo("Edited while the first run read");
            server.onRequest = uri -> { };

            GraphQlTester.Response next = runNow(id);
            next.path("runConnector.run.mode").entity(String.class).isEqualTo("INCREMENTAL");
            next.path("runConnector.run.counts.updated").entity(Integer.class).isEqualTo(1);
            assertThat(name(edited)).isEqualTo("Edited while the first run read");
        }
    }

    private String status(String sourceId) {
        return jdbc.queryForObject("SELECT status FROM program WHERE partnership_id = ? AND source_id = ?",
                String.class, mine.getId(), sourceId);
    }

    private String name(String sourceId) {
        return jdbc.queryForObject("SELECT name FROM program WHERE partnership_id = ? AND source_id = ?",
                String.class, mine.getId(), sourceId);
    }
}
