package ca.cmp.hub.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reads from a real streaming replica: a private primary and a standby made with pg_basebackup, the hub's
 * DataSource pointed at both. What reached which database is proven by the routing's per-target connection
 * counter, and the data each side holds is checked on it directly.
 */
@SpringBootTest
@AutoConfigureGraphQlTester
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReplicaReadsTest {

    static StreamingReplica servers;

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) {
        if (servers == null) {
            servers = StreamingReplica.start();
        }
        registry.add("spring.datasource.url", servers::primaryUrl);
        registry.add("spring.datasource.username", () -> "hub");
        registry.add("spring.datasource.password", () -> "");
        registry.add("hub.db.replica.url", servers::standbyUrl);
        registry.add("hub.db.replica.check-interval", () -> "200ms");
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.stop();
            servers = null;
        }
    }

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    ReplicaHealth health;

    Partnership partnership;
    String partner;

    @BeforeEach
    void partnership() {
        partnership = fixtures.partnership("Replicated");
        partner = "partner-" + partnership.getSlug();
    }

    @AfterEach
    void nobody() throws SQLException {
        Callers.anonymous();
        try (Connection c = servers.standby(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_resume()");
        } catch (SQLException standbyStopped) {
            // The test that stops it starts it again.
        }
    }

    @Test
    void aQueryIsAnsweredByTheReplica() throws SQLException {
        publishAsPartner("Replicated One");
        Callers.anonymous();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double before = connections("replica");
            assertThat(programNames()).containsExactly("Replicated One");
            assertThat(connections("replica")).isGreaterThan(before);
        });
        // And the connection a replica read gets is the standby's.
        ReadRouting.choose(ReadRouting.Target.REPLICA);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            // A read-write transaction inside a query (an audit row, say) still gets the primary.
            Boolean inRecovery = new TransactionTemplate(transactions)
                    .execute(tx -> jdbc.queryForObject("SELECT pg_is_in_recovery()", Boolean.class));
            assertThat(inRecovery).isFalse();
        } finally {
            ReadRouting.clear();
        }
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void aCallerReadsItsOwnWriteWhileTheReplicaHasNotReplayedIt() throws SQLException {
        awaitReplicaInUse();
        try (Connection c = servers.standby(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_pause()");
        }
        publishAsPartner("Written Just Now");
        double replicaBefore = connections("replica");
        double primaryBefore = connections("primary");
        assertThat(programNames()).containsExactly("Written Just Now");
        assertThat(connections("replica")).isEqualTo(replicaBefore);
        assertThat(connections("primary")).isGreaterThan(primaryBefore);
        // Nor does anyone else get data older than the current data version (the data's mark, not the caller's).
        Callers.anonymous();
        assertThat(programNames()).containsExactly("Written Just Now");
        assertThat(connections("replica")).isEqualTo(replicaBefore);
        // The replica really is behind: reading it would have missed the program.
        try (Connection c = servers.standby(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM program WHERE name = 'Written Just Now'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void aStoppedReplicaIsSkippedWithoutErrorsAndUsedAgainOnceBack() {
        publishAsPartner("Survivor");
        Callers.anonymous();
        awaitReplicaInUse();
        servers.stopStandby();
        try {
            double primaryBefore = connections("primary");
            for (int i = 0; i < 5; i++) {
                assertThat(programNames()).containsExactly("Survivor");
            }
            assertThat(connections("primary")).isGreaterThan(primaryBefore);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(health.health().getStatus().getCode()).isEqualTo("UNREACHABLE"));
            assertThat(health.health().getStatus().getCode()).isEqualTo("UNREACHABLE");
            assertThat(programNames()).containsExactly("Survivor");
        } finally {
            servers.startStandby();
        }
        awaitReplicaInUse();
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    /** Until an anonymous query of this test's partnership is served by the replica. */
    private void awaitReplicaInUse() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            double before = connections("replica");
            programNames();
            assertThat(connections("replica")).isGreaterThan(before);
        });
    }

    private void publishAsPartner(String name) {
        Callers.as(partner, Role.PARTNER, partnership.getSlug());
        Map<String, Object> p = new HashMap<>();
        p.put("sourceId", UUID.randomUUID().toString());
        p.put("name", name);
        p.put("minAge", 8);
        p.put("maxAge", 14);
        p.put("model", "ONE_TO_ONE");
        p.put("organization", Map.of("sourceId", "org-1", "name", "Replica Mentors"));
        p.put("sites", List.of(Map.of("latitude", 43.65, "longitude", -79.38, "province", "on")));
        graphQl.documentName("publishPrograms").variable("partnership", partnership.getSlug())
                .variable("programs", List.of(p)).variable("snapshot", false).execute()
                .path("publishPrograms.run.status").entity(String.class).isEqualTo("SUCCEEDED");
    }

    private List<String> programNames() {
        return graphQl.documentName("programs")
                .variable("filter", Map.of("partnership", List.of(partnership.getId().toString())))
                .variable("first", 10).execute()
                .path("programs.edges[*].node.name").entityList(String.class).get();
    }

    private double connections(String target) {
        return meters.get("hub.db.connections").tag("target", target).counter().count();
    }
}
