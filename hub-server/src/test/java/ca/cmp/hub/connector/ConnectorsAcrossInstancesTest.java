package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import ca.cmp.hub.HubApplication;
import ca.cmp.hub.cache.AnalysisCache;
import ca.cmp.hub.connectors.hsds.HsdsTestServer;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.test.tester.ExecutionGraphQlServiceTester;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Pulls over real HTTP (an HSDS 3.0 API serving the Toronto agencies, on loopback, allow-listed as an
 * administrator would), and two hub instances against one PostGIS and one Redis: a scheduled sync runs once
 * however many instances see it due, a cached analysis computed on one is served by the other, and a data
 * change on one invalidates both.
 */
@HubTest
@TestPropertySource(properties = {"hub.connectors.allowed-networks=127.0.0.1/32",
        "hub.connectors.poll-interval=300ms"})
// A context of its own: closed after the class, so its schedulers and pools stop for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConnectorsAcrossInstancesTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    AnalysisCache cache;

    @Autowired
    ConnectorScheduler scheduler;

    static ConfigurableApplicationContext second;

    Partnership mine;

    @BeforeEach
    void partnership() {
        mine = fixtures.partnership("Agencies");
        Callers.partnerOf(mine.getSlug());
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    /** A second hub on the first one's database and Redis (so it starts no servers of its own). */
    private ConfigurableApplicationContext second() {
        if (second == null) {
            // As command-line arguments, which outrank the application's own settings (a default property of
            // server.port=0 lost to application.yml's 8080, and failed while a hub ran there).
            second = new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                    "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                    "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                    "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                    "--spring.data.redis.url=" + environment.getProperty("spring.data.redis.url"),
                    "--server.port=0", "--hub.connectors.poll-interval=300ms",
                    "--hub.connectors.allowed-networks=127.0.0.1/32");
        }
        return second;
    }

    private String register(String kind, String location, String schedule) {
        Map<String, Object> connector = new java.util.HashMap<>(Map.of("name", kind + "-" + UUID.randomUUID(),
                "kind", kind, "location", location, "mapping", Map.of("defaults", Map.of("radiusKm", 5))));
        if (schedule != null) {
            connector.put("schedule", schedule);
        }
        return graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", connector).execute()
                .path("registerConnector.connector.id").entity(String.class).get();
    }

    private GraphQlTester.Response run(String id, boolean full) {
        return graphQl.documentName("runConnector").variable("id", id).variable("full", full).variable("wait", true)
                .execute();
    }

    @Test
    void anHsdsApiIsPulledPageByPageThenIncrementallyAndAFailingServerChangesNothing() throws Exception {
        try (HsdsTestServer server = new HsdsTestServer()) {
            String id = register("HSDS_API", server.baseUrl(), null);

            GraphQlTester.Response full = run(id, false);
            full.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
            full.path("runConnector.run.mode").entity(String.class).isEqualTo("FULL");
            full.path("runConnector.run.counts.inserted").entity(Integer.class).isEqualTo(13);
            assertThat(server.requests).filteredOn(u -> u.getPath().equals("/hsds/services")).hasSize(3);

            server.requests.clear();
            server.services.get(0).put("name", "Renamed after the first sync");
            server.services.get(0).put("last_modified", Instant.now().plusSeconds(60).toString());
            GraphQlTester.Response incremental = run(id, false);
            incremental.path("runConnector.run.mode").entity(String.class).isEqualTo("INCREMENTAL");
            incremental.path("runConnector.run.counts.updated").entity(Integer.class).isEqualTo(1);
            incremental.path("runConnector.run.counts.retired").entity(Integer.class).isEqualTo(0);
            assertThat(server.requests.get(0).getQuery()).contains("modified_after=");

            server.broken = true;
            GraphQlTester.Response failed = run(id, true);
            failed.path("runConnector.run.status").entity(String.class).isEqualTo("FAILED");
            failed.path("runConnector.run.failure").entity(String.class)
                    .satisfies(f -> assertThat(f).contains("answered HTTP 503").contains("after 2 attempts"));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ? AND status = "
                    + "'ACTIVE'", Long.class, mine.getId())).isEqualTo(13);
            assertThat(jdbc.queryForObject("SELECT name FROM program WHERE partnership_id = ? AND source_id = "
                    + "'agency-1'", String.class, mine.getId())).isEqualTo("Renamed after the first sync");
        }
    }

    @Test
    void aDueScheduledSyncRunsOnceAcrossTwoInstances() throws Exception {
        second();
        Path feed = Files.createDirectories(Path.of("target/test-imports", mine.getSlug())).resolve("p.csv");
        Files.writeString(feed, "id,name,latitude,longitude\ns1,Scheduled,43.65,-79.38\n");
        String id = register("CSV", feed.toString(), "0 0 3 * * *");
        // Make it due now for both instances at once.
        jdbc.update("UPDATE connector SET next_run_at = now() - interval '1 second' WHERE id = ?::uuid", id);

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM sync_run WHERE connector_id = ?::uuid AND status <> 'RUNNING'", Long.class,
                id) > 0);
        // The slot moved on before the run started; let both instances complete two more looks for due
        // connectors (so at least one whole look began after the run), each a chance to run it again.
        ConnectorScheduler here = scheduler;
        ConnectorScheduler there = second.getBean(ConnectorScheduler.class);
        long herePolls = here.polls();
        long therePolls = there.polls();
        await().atMost(Duration.ofSeconds(20)).until(() -> here.polls() >= herePolls + 2
                && there.polls() >= therePolls + 2);
        assertThat(jdbc.queryForList("SELECT status || ':' || triggered_by FROM sync_run WHERE connector_id = ?::uuid",
                String.class, id)).containsExactly("SUCCEEDED:schedule");
        Timestamp next = jdbc.queryForObject("SELECT next_run_at FROM connector WHERE id = ?::uuid", Timestamp.class,
                id);
        assertThat(next.toInstant()).isAfter(Instant.now());
    }

    @Test
    void aResultCachedByOneInstanceIsServedByTheOtherUntilEitherChangesTheData() {
        AnalysisCache other = second().getBean(AnalysisCache.class);
        AtomicInteger computed = new AtomicInteger();
        Map<String, Object> request = Map.of("test", UUID.randomUUID().toString());

        assertThat(cache.get("two-instances", request, String.class, () -> "computed #" + computed.incrementAndGet()))
                .isEqualTo("computed #1");
        assertThat(other.get("two-instances", request, String.class, () -> "computed #" + computed.incrementAndGet()))
                .isEqualTo("computed #1");

        // A push through the second instance changes programs: both instances' cached results are stale now.
        GraphQlTester secondGraphQl = ExecutionGraphQlServiceTester.create(second().getBean(
                ExecutionGraphQlService.class));
        secondGraphQl.documentName("publishPrograms").variable("partnership", mine.getSlug())
                .variable("programs", List.of(Map.of("sourceId", "x1", "name", "New", "sites",
                        List.of(Map.of("latitude", 43.7, "longitude", -79.4)))))
                .execute().path("publishPrograms.run.counts.inserted").entity(Integer.class).isEqualTo(1);
        assertThat(cache.get("two-instances", request, String.class, () -> "computed #" + computed.incrementAndGet()))
                .isEqualTo("computed #2");
        assertThat(other.get("two-instances", request, String.class, () -> "computed #" + computed.incrementAndGet()))
                .isEqualTo("computed #2");
    }
}
