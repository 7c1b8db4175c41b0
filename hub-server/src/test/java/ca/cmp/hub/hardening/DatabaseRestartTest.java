package ca.cmp.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import ca.cmp.hub.support.HubHttp;
import ca.cmp.hub.support.PostgresProcess;
import ca.cmp.hub.support.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stopped and started again under requests. The hub runs in a JVM of its own on a PostgreSQL cluster
 * and Redis of this test's own (stopping the cluster other classes share would fail them). While client threads
 * search near a point, publish programs and ask for health, the server is stopped (fast, then in the second half
 * immediate, as a crash) for a few seconds. Every answer meanwhile is a clean failure: health 503, GraphQL errors
 * that say the database is unavailable, within the pool's connection timeout, with nothing of SQL or stack traces;
 * once the server is back the same requests succeed without restarting the hub, no sync run stays RUNNING, and
 * every publish landed whole or not at all.
 */
class DatabaseRestartTest {

    /** What a caller may wait during the outage: the pool's connection timeout given below, and then some. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(30);
    static final int PROGRAMS_PER_PUBLISH = 4;
    static final Pattern LEAKS = Pattern.compile("(?i)SQL|exception|org\\.postgresql|hikari|\\bat [a-z]+\\.|<html");

    PostgresProcess postgres;
    RedisProcess redis;
    Process hub;
    Path log;
    HubHttp http;
    final HttpClient client = HttpClient.newHttpClient();

    record Answer(String kind, int attempt, boolean databaseDown, int status, String body, Throwable failure) {
    }

    @BeforeEach
    void servers() throws Exception {
        postgres = new PostgresProcess();
        redis = new RedisProcess();
        redis.start();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        log = Files.createDirectories(Path.of("target/hub-processes")).resolve("database-restart.log");
        hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, "ca.cmp.hub.HubApplication",
                "--spring.profiles.active=test", "--server.port=" + port, "--spring.datasource.url=" + postgres.url(),
                "--spring.datasource.username=hub", "--spring.datasource.password=" + postgres.password(),
                "--spring.data.redis.url=" + redis.url(), "--hub.rate-limit.enabled=false",
                "--spring.datasource.hikari.connection-timeout=3000", "--hub.sync.heartbeat=500ms",
                "--hub.sync.abandon-after=3s", "--logging.level.ca.cmp.hub=INFO")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        http = new HubHttp(port);
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> get("/actuator/health").statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // What the hub was doing instead of starting, for the report.
            new ProcessBuilder("jcmd", Long.toString(hub.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().waitFor(1, TimeUnit.MINUTES);
            throw e;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.destroyForcibly();
            hub.waitFor(1, TimeUnit.MINUTES);
        }
        if (redis != null) {
            redis.stop();
        }
        if (postgres != null) {
            postgres.stop("immediate");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(http.uri(path)).timeout(ANSWER_BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> graphQl(String token, String query, Map<String, ?> variables) throws Exception {
        return client.send(HttpRequest.newBuilder(http.uri("/graphql")).timeout(ANSWER_BOUND)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(HubHttp.body(query, variables))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String partnerToken() throws Exception {
        String admin = http.token("admin");
        graphQl(admin, "mutation($i: PartnershipInput!) { createPartnership(input: $i) { __typename } }",
                Map.of("i", Map.of("slug", "restart", "name", "Restart", "provinces", List.of("ON"))));
        JsonNode made = HubHttp.JSON.readTree(graphQl(admin, "mutation($i: ClientInput!) { createClient(input: $i) "
                + "{ __typename ... on ClientCredentials { secret } } }", Map.of("i", Map.of("clientId",
                "restart-partner", "name", "Restart partner", "roles", List.of("PARTNER"), "partnership",
                "restart"))).body());
        String secret = made.at("/data/createClient/secret").asString();
        HttpResponse<String> token = client.send(HttpRequest.newBuilder(http.uri("/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("restart-partner:" + secret)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=hub")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return HubHttp.JSON.readTree(token.body()).get("access_token").asString();
    }

    static final String NEAR = "query { programs(filter: {near: {latitude: 43.65, longitude: -79.38, radiusKm: 20}}, "
            + "first: 5) { edges { node { id name } } } }";
    static final String PUBLISH = "mutation($programs: [ProgramInput!]!) { publishPrograms(partnership: \"restart\", "
            + "programs: $programs) { __typename ... on SyncReport { run { status failure } } } }";

    private static List<Map<String, Object>> programs(int attempt) {
        return IntStream.range(0, PROGRAMS_PER_PUBLISH).mapToObj(i -> Map.<String, Object>of("sourceId",
                "p" + attempt + "-" + i, "name", "Program " + attempt + "." + i, "radiusKm", 5, "sites",
                List.of(Map.of("latitude", 43.65 + i * 0.001, "longitude", -79.38)))).toList();
    }

    /** A success: health UP, or GraphQL data without errors (a publish that ran to SUCCEEDED). */
    static boolean succeeded(Answer a) {
        if (a.failure != null || a.status != 200) {
            return false;
        }
        JsonNode json = HubHttp.JSON.readTree(a.body);
        if (a.kind.equals("health")) {
            return "UP".equals(json.path("status").asString());
        }
        return json.path("errors").isMissingNode() && (!a.kind.equals("publish")
                || "SUCCEEDED".equals(json.at("/data/publishPrograms/run/status").asString()));
    }

    /** A clean failure: answered in time, JSON, nothing internal; GraphQL errors say the database is down. */
    static void assertCleanFailure(Answer a) {
        assertThat(a.failure).as("%s %d answered within %s", a.kind, a.attempt, ANSWER_BOUND).isNull();
        assertThat(a.body).as("%s %d", a.kind, a.attempt).doesNotContainPattern(LEAKS);
        JsonNode json = HubHttp.JSON.readTree(a.body);
        if (a.kind.equals("health")) {
            assertThat(a.status).isEqualTo(503);
            assertThat(json.path("status").asString()).isEqualTo("DOWN");
            return;
        }
        assertThat(a.status).as("%s %d: %s", a.kind, a.attempt, a.body).isIn(200, 503);
        if (json.path("errors").isMissingNode()) {
            // A publish whose run began and could not be applied: FAILED, saying nothing changed.
            assertThat(json.at("/data/publishPrograms/run/status").asString()).as(a.body).isEqualTo("FAILED");
            return;
        }
        for (JsonNode error : json.path("errors")) {
            assertThat(error.path("message").asString()).as(a.body).containsIgnoringCase("database")
                    .containsIgnoringCase("unavailable");
            assertThat(error.at("/extensions/classification").asString()).as(a.body).isEqualTo("UNAVAILABLE");
        }
    }

    @Test
    void requestsFailCleanlyWhileThePostgresServerIsDownAndSucceedOnceItIsBack() throws Exception {
        String partner = partnerToken();
        String planner = http.token("planner");
        AtomicInteger attempts = new AtomicInteger();
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        Queue<Integer> published = new ConcurrentLinkedQueue<>();
        var down = new java.util.concurrent.atomic.AtomicBoolean();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (String kind : List.of("near", "near", "publish", "health")) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    int attempt = attempts.incrementAndGet();
                    boolean wasDown = down.get();
                    try {
                        HttpResponse<String> r = switch (kind) {
                            case "near" -> graphQl(planner, NEAR, null);
                            case "publish" -> {
                                published.add(attempt);
                                yield graphQl(partner, PUBLISH, Map.of("programs", programs(attempt)));
                            }
                            default -> get("/actuator/health");
                        };
                        answers.add(new Answer(kind, attempt, wasDown || down.get(), r.statusCode(), r.body(), null));
                    } catch (Exception e) {
                        answers.add(new Answer(kind, attempt, true, 0, "", e));
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "client-" + kind);
            t.start();
            clients.add(t);
        }
        try {
            for (String mode : List.of("fast", "immediate")) {
                await().atMost(Duration.ofMinutes(1)).until(() -> answers.stream().filter(a -> !a.databaseDown)
                        .filter(DatabaseRestartTest::succeeded).map(Answer::kind).distinct().count() == 3);
                down.set(true);
                postgres.stop(mode);
                Thread.sleep(5_000);
                postgres.start();
                down.set(false);
                answers.removeIf(a -> !a.databaseDown);
                // Back without restarting the hub: every kind succeeds again.
                await().atMost(Duration.ofMinutes(1)).until(() -> answers.stream().filter(a -> !a.databaseDown)
                        .filter(DatabaseRestartTest::succeeded).map(Answer::kind).distinct().count() == 3);
                List<Answer> outage = answers.stream().filter(Answer::databaseDown).toList();
                assertThat(outage).as("requests answered while the server was down (%s)", mode)
                        .anyMatch(a -> !succeeded(a));
                outage.stream().filter(a -> !succeeded(a)).forEach(DatabaseRestartTest::assertCleanFailure);
                answers.clear();
            }
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(ANSWER_BOUND.toMillis() * 2);
            }
        }
        assertThat(hub.isAlive()).isTrue();

        try (Connection db = DriverManager.getConnection(postgres.url(), "hub", postgres.password())) {
            // A run whose end could not be written is ABANDONED once its heartbeat is silent; none stays RUNNING.
            await().atMost(Duration.ofMinutes(1)).until(() -> count(db, "SELECT count(*) FROM sync_run WHERE status = "
                    + "'RUNNING'") == 0);
            for (int attempt : published) {
                assertThat(count(db, "SELECT count(*) FROM program WHERE source_id LIKE 'p" + attempt + "-%'"))
                        .as("programs of publish %d: all or none", attempt).isIn(0L, (long) PROGRAMS_PER_PUBLISH);
            }
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    private static long count(Connection db, String sql) throws Exception {
        try (var st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
