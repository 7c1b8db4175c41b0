package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.HubApplication;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.TestProgram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.test.tester.ExecutionGraphQlServiceTester;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Two real hubs: this test's hub (B, the national one) pulls a second hub (A, a provincial one: its own database
 * in the same PostGIS cluster, its own HTTP port) through a GRAPHQL connector over real HTTP, authenticated as an
 * API client of A. First in full, then incrementally after A changes one program, retires one and adds one; B's
 * programs equal A's each time, and the client secret never comes back out of B.
 */
@HubTest
// The properties of ConnectorsAcrossInstancesTest, so both share one context (loopback allow-listed).
@TestPropertySource(properties = {"hub.connectors.allowed-networks=127.0.0.1/32",
        "hub.connectors.poll-interval=300ms"})
class HubToHubPullTest {

    private static final String CLIENT = "national-hub";
    private static final String SECRET = "s3cret-" + UUID.randomUUID();
    private static final int PROGRAMS = 230;

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    static ConfigurableApplicationContext upstream;

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Hub A: a database of its own in the suite's cluster, the shared Redis (its caches off), a random port. */
    private ConfigurableApplicationContext startUpstream() {
        String database = "hub_upstream_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbc.execute("CREATE DATABASE " + database);
        String url = environment.getProperty("spring.datasource.url").replaceFirst("/[^/?]+(\\?|$)",
                "/" + database + "$1");
        return new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                "--spring.data.redis.url=" + environment.getProperty("spring.data.redis.url"),
                "--server.port=0", "--hub.cache.enabled=false", "--hub.map.tile-cache-minutes=0",
                "--hub.rate-limit.enabled=false",
                "--hub.security.clients[0].id=" + CLIENT, "--hub.security.clients[0].secret=" + SECRET,
                "--hub.security.clients[0].role=FUNDER");
    }

    @Test
    void aHubPullsAnotherInFullThenIncrementallyAndBothHoldTheSamePrograms() {
        upstream = startUpstream();
        Fixtures upstreamFixtures = upstream.getBean(Fixtures.class);
        JdbcTemplate upstreamDb = upstream.getBean(JdbcTemplate.class);
        GraphQlTester upstreamGraphQl = ExecutionGraphQlServiceTester.create(upstream.getBean(
                ExecutionGraphQlService.class));
        String port = upstream.getEnvironment().getProperty("local.server.port");

        Partnership province = upstreamFixtures.partnership("Provincial partnership");
        List<TestProgram> programs = new ArrayList<>();
        for (int i = 0; i < PROGRAMS; i++) {
            TestProgram p = upstreamFixtures.program(province, "Program " + i, 43.6 + i * 0.001, -79.4 - i * 0.001,
                    6 + i % 5, 14 + i % 5, MentoringModel.values()[i % 5], ProgramSetting.values()[i % 4],
                    DeliveryMode.IN_PERSON, i % 3 == 0 ? List.of("en", "fr") : List.of("en"));
            programs.add(i == 7 ? p.servesRegion().description("Province-wide") : p);
        }
        // A source id A can hold but B cannot, once prefixed with A's partnership: a rejection naming record and
        // field, the other programs applied.
        String longId = "L".repeat(195);
        programs.add(upstreamFixtures.draft(province, longId).radius(5).addSite(Fixtures.site("Long", 43.7, -79.5)));
        upstreamFixtures.saveAll(programs);
        // As if published two hours ago: the incremental read below should find only what changes from here on.
        upstreamDb.update("UPDATE program SET last_changed_at = now() - interval '2 hours'");

        Partnership national = fixtures.partnership("National copy of a provincial hub");
        Callers.partnerOf(national.getSlug());
        Map<String, Object> connector = new HashMap<>(Map.of("name", "Provincial hub", "kind", "GRAPHQL",
                "location", "http://127.0.0.1:" + port + "/graphql", "mapping", Map.of(),
                "credentials", Map.of("clientId", CLIENT, "clientSecret", SECRET)));
        // Bad credentials are refused at registration, naming the field; nothing is stored.
        for (Object[] bad : new Object[][] {{Map.of("clientId", " ", "clientSecret", SECRET), "connector.credentials.clientId"},
                {Map.of("clientId", CLIENT, "clientSecret", " "), "connector.credentials.clientSecret"},
                {Map.of("clientId", CLIENT, "clientSecret", SECRET, "tokenUrl", "file:///etc/passwd"),
                        "connector.credentials.tokenUrl"}}) {
            Map<String, Object> refused = new HashMap<>(connector);
            refused.put("credentials", bad[0]);
            graphQl.documentName("registerConnector").variable("partnership", national.getSlug())
                    .variable("connector", refused).execute()
                    .path("registerConnector.field").entity(String.class).isEqualTo((String) bad[1]);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connector WHERE partnership_id = ?", Long.class,
                national.getId())).isZero();
        String id = graphQl.documentName("registerConnector").variable("partnership", national.getSlug())
                .variable("connector", connector).execute()
                .path("registerConnector.connector.id").entity(String.class).get();

        GraphQlTester.Response full = run(id);
        full.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        full.path("runConnector.run.mode").entity(String.class).isEqualTo("FULL");
        full.path("runConnector.run.counts.inserted").entity(Integer.class).isEqualTo(PROGRAMS);
        full.path("runConnector.run.counts.rejected").entity(Integer.class).isEqualTo(1);
        full.path("runConnector.run.rejections[0].field").entity(String.class).satisfies(f -> assertThat(f)
                .matches("programs\\[\\d+\\] \\(id [0-9a-f-]{36}\\)\\.provenance\\.sourceId"));
        full.path("runConnector.run.rejections[0].reason").entity(String.class).satisfies(r -> assertThat(r)
                .contains("at most 200"));
        String rejected = province.getSlug() + ":" + longId;
        Map<String, String> expected = upstream(upstreamDb, province);
        expected.remove(rejected);
        assertThat(copied(national)).isEqualTo(expected);

        // Upstream: one program changes, one is retired, one is new.
        upstreamFixtures.save(programs.get(3).description("Changed upstream").capacity(9, 10, 4));
        Callers.partnerOf(province.getSlug());
        upstreamGraphQl.documentName("retirePrograms").variable("partnership", province.getSlug())
                .variable("sourceIds", List.of("Program 5")).execute()
                .path("retirePrograms.run.counts.retired").entity(Integer.class).isEqualTo(1);
        upstreamFixtures.save(upstreamFixtures.program(province, "Program new", 44.0, -79.0, 8, 12,
                MentoringModel.GROUP, ProgramSetting.SCHOOL, DeliveryMode.HYBRID, List.of("fr")));
        Callers.partnerOf(national.getSlug());

        GraphQlTester.Response incremental = run(id);
        incremental.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        incremental.path("runConnector.run.mode").entity(String.class).isEqualTo("INCREMENTAL");
        incremental.path("runConnector.run.counts.read").entity(Integer.class).isEqualTo(3);
        incremental.path("runConnector.run.counts.inserted").entity(Integer.class).isEqualTo(1);
        incremental.path("runConnector.run.counts.updated").entity(Integer.class).isEqualTo(1);
        incremental.path("runConnector.run.counts.retired").entity(Integer.class).isEqualTo(1);
        Map<String, String> copy = copied(national);
        expected = upstream(upstreamDb, province);
        expected.remove(rejected);
        assertThat(copy).isEqualTo(expected);
        assertThat(copy.get(province.getSlug() + ":Program 5")).startsWith("RETIRED|");
        assertThat(copy.get(province.getSlug() + ":Program 3")).contains("Changed upstream");
        assertThat(jdbc.queryForObject("SELECT source || ' ' || source_id FROM program WHERE partnership_id = ? "
                + "AND name = 'Program new'", String.class, national.getId()))
                .isEqualTo("connector:" + id + " " + province.getSlug() + ":Program new");

        // The secret is stored sealed and never comes back out: not in the connector's fields, not in the row.
        Object listed = graphQl.documentName("connectorCredentials").variable("partnership", national.getSlug())
                .execute().path("connectors").entity(Object.class).get();
        assertThat(listed.toString()).contains(CLIENT).contains("secretStored=true")
                .contains("http://127.0.0.1:" + port + "/oauth2/token").doesNotContain(SECRET);
        assertThat(jdbc.queryForObject("SELECT row_to_json(c)::text FROM connector c WHERE id = ?::uuid",
                String.class, id)).doesNotContain(SECRET).doesNotContain(
                        java.util.Base64.getEncoder().encodeToString(SECRET.getBytes()));

        // A wrong secret: the run fails saying which client was refused, and shows no secret either.
        String wrong = "wrong-" + UUID.randomUUID();
        connector.put("credentials", Map.of("clientId", CLIENT, "clientSecret", wrong));
        graphQl.documentName("updateConnector").variable("id", id).variable("connector", connector).execute()
                .path("updateConnector.connector.credentials.secretStored").entity(Boolean.class).isEqualTo(true);
        GraphQlTester.Response refused = run(id);
        refused.path("runConnector.run.status").entity(String.class).isEqualTo("FAILED");
        refused.path("runConnector.run.failure").entity(String.class).satisfies(f -> assertThat(f)
                .contains("refused client \"" + CLIENT + "\"").doesNotContain(wrong).doesNotContain(SECRET));

        // changedSince pages by (last change, id): a program changed while a reader pages moves behind the
        // cursor and is listed again later, never skipped; retired programs are listed, with their status.
        Map<String, Object> changes = Map.of("changedSince", Instant.now().minusSeconds(3 * 3600).toString(),
                "partnership", List.of(province.getId().toString()));
        List<Map<String, Object>> listed5 = page(upstreamGraphQl, changes, 5, null);
        List<String> seen = new ArrayList<>(listed5.stream().map(n -> (String) n.get("id")).toList());
        String first = seen.get(0);
        TestProgram moved = programs.stream().filter(p -> p.getId().toString().equals(first)).findFirst()
                .orElseThrow();
        upstreamFixtures.save(moved.description("Changed while a reader paged"));
        String after = (String) listed5.get(4).get("cursor");
        Map<String, Object> rest;
        List<String> statuses = new ArrayList<>();
        do {
            rest = upstreamGraphQl.documentName("programs").variable("filter", changes).variable("first", 100)
                    .variable("after", after).execute().path("programs").entity(Map.class).get();
            for (Object edge : (List<?>) rest.get("edges")) {
                Map<?, ?> node = (Map<?, ?>) ((Map<?, ?>) edge).get("node");
                seen.add((String) node.get("id"));
                statuses.add((String) node.get("status"));
                after = (String) ((Map<?, ?>) edge).get("cursor");
            }
        } while (Boolean.TRUE.equals(((Map<?, ?>) rest.get("pageInfo")).get("hasNextPage")));
        // A's PROGRAMS + 2 programs, each once, and the one that moved once more, last.
        assertThat(seen).hasSize(PROGRAMS + 3).endsWith(first);
        assertThat(new java.util.HashSet<>(seen)).hasSize(PROGRAMS + 2);
        assertThat(statuses).contains("RETIRED");
        upstreamGraphQl.documentName("programs").variable("filter", Map.of("changedSince", "2026-01-01T00:00:00Z",
                "near", Map.of("latitude", 43.7, "longitude", -79.4, "radiusKm", 5))).execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                        .startsWith("filter.changedSince: cannot be combined with near")));
    }

    /** One page of A's programs, its edges' nodes with their cursors. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> page(GraphQlTester hub, Map<String, Object> filter, int first,
            String after) {
        Map<String, Object> connection = hub.documentName("programs").variable("filter", filter)
                .variable("first", first).variable("after", after).execute().path("programs").entity(Map.class)
                .get();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Object edge : (List<?>) connection.get("edges")) {
            Map<String, Object> node = new HashMap<>((Map<String, Object>) ((Map<?, ?>) edge).get("node"));
            node.put("cursor", ((Map<?, ?>) edge).get("cursor"));
            nodes.add(node);
        }
        return nodes;
    }

    private GraphQlTester.Response run(String id) {
        return graphQl.documentName("runConnector").variable("id", id).variable("full", false).variable("wait", true)
                .execute();
    }

    /** What B holds from the connector: by source id, the program's state and sites. */
    private Map<String, String> copied(Partnership national) {
        return state(jdbc, "p.source_id", national.getId());
    }

    /** What A holds, keyed as B keys it: the partnership's slug, then the source id there. */
    private static Map<String, String> upstream(JdbcTemplate db, Partnership province) {
        return state(db, "r.slug || ':' || p.source_id", province.getId());
    }

    private static Map<String, String> state(JdbcTemplate db, String key, UUID partnership) {
        Map<String, String> state = new HashMap<>();
        db.query("""
                SELECT %s AS key, concat_ws('|', p.status, p.name, p.description, p.min_age, p.max_age, p.model,
                         p.setting, array_to_string(p.languages, ','), p.delivery_mode, p.service_area_kind,
                         p.service_radius_km, p.active_matches, p.max_matches, p.waitlist, p.fee_free,
                         p.fee_description,
                         (SELECT string_agg(concat_ws(',', s.name, s.address, s.city, s.postal_code,
                                 ST_AsText(s.location), s.precision), ';' ORDER BY s.name, ST_AsText(s.location))
                          FROM site s WHERE s.program_id = p.id)) AS state
                FROM program p JOIN partnership r ON r.id = p.partnership_id WHERE p.partnership_id = ?"""
                .formatted(key), rs -> {
                    state.put(rs.getString("key"), rs.getString("state"));
                }, partnership);
        return state;
    }
}
