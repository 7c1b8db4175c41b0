package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ca.cmp.hub.connectors.hsds.HsdsTestServer;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The hub as a real process (a second JVM on this test's PostGIS and Redis) stopped in the middle of a long
 * connector run: with SIGTERM it drains (the run ends INTERRUPTED, never RUNNING, and is due again for any
 * instance, which runs it to the end); with SIGKILL it cannot, and once it is started again the run is found
 * ABANDONED, and a re-run converges with nothing lost or doubled. Both instances agree on the heartbeat bounds
 * (8 s of silence: a hub starved of CPU for 3 s on a loaded machine was once taken for dead while it drained).
 */
@HubTest
@TestPropertySource(properties = {"hub.connectors.allowed-networks=127.0.0.1/32", "hub.connectors.poll-interval=1h",
        "hub.sync.heartbeat=500ms", "hub.sync.abandon-after=8s"})
// A context of its own: closed after the class, so its schedulers and pools stop for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HubProcessFaultsTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ConnectorScheduler scheduler;

    Partnership mine;
    final List<Process> started = new ArrayList<>();
    final Map<String, Path> logs = new java.util.HashMap<>();

    @BeforeEach
    void partnership() {
        mine = fixtures.partnership("Faults");
        Callers.partnerOf(mine.getSlug());
    }

    @AfterEach
    void stop() throws InterruptedException {
        Callers.anonymous();
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(1, TimeUnit.MINUTES);
        }
    }

    /** The packaged application's classes and dependencies, as this test runs them, in a JVM of its own. */
    private Process hub(String name) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Files.createDirectories(Path.of("target/hub-processes")).resolve(name + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "ca.cmp.hub.HubApplication", "--spring.profiles.active=test", "--server.port=0",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--spring.data.redis.url=" + environment.getProperty("spring.data.redis.url"),
                "--hub.connectors.allowed-networks=127.0.0.1/32", "--hub.connectors.poll-interval=200ms",
                "--hub.connectors.lock-ttl=3s", "--hub.sync.heartbeat=500ms", "--hub.sync.abandon-after=8s",
                "--hub.sync.drain-timeout=1s", "--logging.level.org.springframework.boot.availability=DEBUG",
                "--logging.level.org.springframework.boot.tomcat=INFO");
        logs.put(name, log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    /** An HSDS connector on a schedule, made due now; its source answers slowly, one service a page. */
    private String slowScheduledConnector(HsdsTestServer server) {
        server.perPage = 1;
        server.delayMillis = 1_000;
        String id = graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", Map.of("name", "slow-" + UUID.randomUUID(), "kind", "HSDS_API", "location",
                        server.baseUrl(), "schedule", "0 0 3 * * *", "mapping",
                        Map.of("defaults", Map.of("radiusKm", 5))))
                .execute().path("registerConnector.connector.id").entity(String.class).get();
        jdbc.update("UPDATE connector SET next_run_at = now() - interval '1 second' WHERE id = ?::uuid", id);
        return id;
    }

    /** The other process has started the connector's run and is reading its source. */
    private UUID runningElsewhere(String connectorId, HsdsTestServer server) {
        await().atMost(Duration.ofMinutes(4)).until(() -> !server.requests.isEmpty());
        return jdbc.queryForObject("SELECT id FROM sync_run WHERE connector_id = ?::uuid AND status = 'RUNNING'",
                UUID.class, connectorId);
    }

    private Map<String, Object> run(UUID id) {
        return jdbc.queryForMap("SELECT status, failure, finished_at IS NOT NULL AS finished FROM sync_run "
                + "WHERE id = ?", id);
    }

    /** Programs of the partnership: active ones, and whether any source id is stored twice. */
    private Map<String, Object> programs() {
        return jdbc.queryForMap("SELECT count(*) FILTER (WHERE status = 'ACTIVE') AS active, count(*) AS stored, "
                + "count(DISTINCT source_id) AS distinct_ids FROM program WHERE partnership_id = ?", mine.getId());
    }

    @Test
    void sigtermDuringASyncLeavesItInterruptedAndAnyInstanceRunsItAgain() throws Exception {
        try (HsdsTestServer server = new HsdsTestServer()) {
            int services = server.services.size();
            String connector = slowScheduledConnector(server);
            Process other = hub("sigterm");
            UUID run = runningElsewhere(connector, server);

            other.destroy(); // SIGTERM
            assertThat(other.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(run(run)).containsEntry("status", "INTERRUPTED").containsEntry("finished", true);
            assertThat((String) run(run).get("failure")).contains("shut down before it finished");
            assertThat(jdbc.queryForObject("SELECT next_run_at <= now() FROM connector WHERE id = ?::uuid",
                    Boolean.class, connector)).isTrue();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_run WHERE status = 'RUNNING' AND "
                    + "connector_id = ?::uuid", Long.class, connector)).isZero();
            // In that order: readiness down, requests drained, then the run interrupted.
            String log = Files.readString(logs.get("sigterm"));
            int refusing = log.indexOf("REFUSING_TRAFFIC");
            int graceful = log.indexOf("Commencing graceful shutdown");
            int interrupted = log.indexOf("INTERRUPTED by shutdown");
            assertThat(refusing).isNotNegative();
            assertThat(graceful).isGreaterThan(refusing);
            assertThat(interrupted).isGreaterThan(graceful);

            // This instance takes it up on its next look for due connectors, and reads it to the end.
            server.delayMillis = 0;
            scheduler.runDue();
            await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.queryForObject("SELECT count(*) FROM sync_run "
                    + "WHERE connector_id = ?::uuid AND status = 'SUCCEEDED' AND triggered_by = 'schedule'",
                    Long.class, connector) == 1);
            assertThat(programs()).containsEntry("active", (long) services).containsEntry("stored", (long) services)
                    .containsEntry("distinct_ids", (long) services);
        }
    }

    @Test
    void sigkillDuringASyncIsFoundAbandonedAfterARestartAndAReRunConverges() throws Exception {
        try (HsdsTestServer server = new HsdsTestServer()) {
            int services = server.services.size();
            String connector = slowScheduledConnector(server);
            Process killed = hub("sigkill");
            UUID run = runningElsewhere(connector, server);

            killed.destroyForcibly(); // SIGKILL: nothing of the process runs any more
            assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(run(run)).containsEntry("status", "RUNNING");
            server.delayMillis = 0;

            // Started again, the hub finds the run silent beyond the bound and abandons it.
            hub("after-sigkill");
            await().atMost(Duration.ofMinutes(4)).until(() -> "ABANDONED".equals(run(run).get("status")));
            assertThat((String) run(run).get("failure")).contains("stopped without ending it");

            // The killed run's lock lapses with its lease; a re-run (here, on demand; the restarted instance may
            // run it first, being due again) converges.
            // In this thread: the caller's token is the test thread's.
            await().pollInSameThread().atMost(Duration.ofMinutes(1)).until(() -> "SyncReport".equals(graphQl.documentName("runConnector")
                    .variable("id", connector).variable("full", true).variable("wait", true).execute()
                    .path("runConnector.__typename").entity(String.class).get()));
            assertThat(jdbc.queryForObject("SELECT status FROM sync_run WHERE connector_id = ?::uuid ORDER BY "
                    + "started_at DESC LIMIT 1", String.class, connector)).isEqualTo("SUCCEEDED");
            assertThat(programs()).containsEntry("active", (long) services).containsEntry("stored", (long) services)
                    .containsEntry("distinct_ids", (long) services);
        }
    }
}
