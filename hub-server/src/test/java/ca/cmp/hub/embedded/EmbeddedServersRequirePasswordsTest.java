package ca.cmp.hub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The embedded servers let in only who knows the installation's passwords: PostgreSQL over TCP and its socket,
 * Redis on its port. The passwords live in a file only the hub's user can read, and a cluster an older hub
 * created with {@code -A trust} is upgraded on start, its data kept.
 */
class EmbeddedServersRequirePasswordsTest {

    Path dir;
    EmbeddedPostgis postgis;
    EmbeddedRedis redis;

    @AfterEach
    void cleanUp() throws Exception {
        if (redis != null) {
            redis.stop();
        }
        if (postgis != null) {
            postgis.stop();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void secretsAreGeneratedOnceAndReadableByTheHubsUserAlone() throws Exception {
        dir = Files.createTempDirectory("hub-secrets-");
        EmbeddedSecrets first = EmbeddedSecrets.loadOrCreate(dir);
        Path file = dir.resolve(EmbeddedSecrets.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getOwner(file).getName()).isEqualTo(System.getProperty("user.name"));
        assertThat(first.postgres()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(first.redis());
        assertThat(first.toString()).doesNotContain(first.postgres()).doesNotContain(first.redis());
        assertThat(EmbeddedSecrets.loadOrCreate(dir)).isEqualTo(first);
        assertThat(EmbeddedSecrets.loadOrCreate(Files.createDirectory(dir.resolve("other"))).postgres())
                .isNotEqualTo(first.postgres());

        // A file someone made readable to others is tightened, not trusted as it is.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(EmbeddedSecrets.loadOrCreate(dir)).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void postgresRefusesEveryConnectionWithoutThePassword() throws Exception {
        dir = Files.createTempDirectory("hub-pg-auth-");
        String password = EmbeddedSecrets.loadOrCreate(dir).postgres();
        postgis = EmbeddedPostgis.locate(dir, Optional.empty(), true);
        String url = postgis.start(password);

        assertRefused(url, "");
        assertRefused(url, "not-the-password");
        assertRefused(url.replace("/hub", "/postgres"), "");
        assertThat(psqlOverSocket(url)).as("the socket refuses a client without a password")
                .contains("password");
        try (Connection c = DriverManager.getConnection(url, "hub", password);
                ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("hub");
        }
        assertThat(EmbeddedPostgis.onlyPasswords(Files.readAllLines(dir.resolve("postgres/pg_hba.conf")))).isTrue();
        assertThat(dir.resolve("initdb-password")).doesNotExist();
    }

    @Test
    void aClusterAnOlderHubMadeWithTrustIsUpgradedAndKeepsItsData() throws Exception {
        dir = Files.createTempDirectory("hub-pg-upgrade-");
        Path pgData = dir.resolve("postgres");
        olderHubsCluster(pgData);
        runAsServer(List.of(binDir() + "/pg_ctl", "-D", pgData.toString(), "-m", "fast", "-w", "stop"));

        String password = EmbeddedSecrets.loadOrCreate(dir).postgres();
        postgis = EmbeddedPostgis.locate(dir, Optional.empty(), true);
        String url = postgis.start(password);
        assertRefused(url, "");
        assertThat(psqlOverSocket(url)).contains("password");
        try (Connection c = DriverManager.getConnection(url, "hub", password);
                ResultSet rs = c.createStatement().executeQuery("SELECT n FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(EmbeddedPostgis.onlyPasswords(Files.readAllLines(pgData.resolve("pg_hba.conf")))).isTrue();
    }

    @Test
    void aTrustingClusterStillRunningIsUpgradedWithoutARestart() throws Exception {
        dir = Files.createTempDirectory("hub-pg-running-");
        Path pgData = dir.resolve("postgres");
        String url = olderHubsCluster(pgData);
        long pid = postmasterPid(pgData);

        // The old hub was killed and left it running; the new one finds it and closes the door.
        String password = EmbeddedSecrets.loadOrCreate(dir).postgres();
        postgis = EmbeddedPostgis.locate(dir, Optional.empty(), true);
        assertThat(postgis.start(password)).isEqualTo(url);
        assertThat(postmasterPid(pgData)).isEqualTo(pid);
        assertRefused(url, "");
        try (Connection c = DriverManager.getConnection(url, "hub", password)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void redisRefusesClientsWithoutThePassword() throws Exception {
        dir = Files.createTempDirectory("hub-redis-auth-");
        String password = EmbeddedSecrets.loadOrCreate(dir).redis();
        redis = new EmbeddedRedis(dir, true);
        URI url = URI.create(redis.start(password));
        HostAndPort server = new HostAndPort(url.getHost(), url.getPort());

        try (Jedis anonymous = new Jedis(server, DefaultJedisClientConfig.builder().build())) {
            assertThatThrownBy(anonymous::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
            assertThatThrownBy(() -> anonymous.set("coverage:poisoned", "1")).hasMessageContaining("NOAUTH");
        }
        try (Jedis wrong = new Jedis(server, DefaultJedisClientConfig.builder().build())) {
            assertThatThrownBy(() -> wrong.auth("not-the-password")).isInstanceOf(JedisDataException.class);
        }
        try (Jedis hub = new Jedis(server, DefaultJedisClientConfig.builder()
                .password(url.getUserInfo().substring(1)).build())) {
            assertThat(hub.ping()).isEqualTo("PONG");
        }
        // Nobody listing processes sees it.
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .noneMatch(c -> c.contains(password));
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, "hub", password).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "08004"));
    }

    /** psql through the cluster's Unix socket with no password and no prompt: its error output. */
    private String psqlOverSocket(String jdbcUrl) throws Exception {
        int port = URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
        List<String> command = new ArrayList<>(SystemUser.asPostgresIfRoot());
        command.addAll(List.of(binDir() + "/psql", "-w", "-h", dir.resolve("socket").toString(), "-p",
                Integer.toString(port), "-U", "hub", "-d", "hub", "-c", "SELECT 1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PGPASSWORD");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        return output;
    }

    /**
     * A cluster as the hub made it before it had passwords (initdb -A trust, the same server options), running,
     * with a database {@code hub} holding a row; returns its JDBC URL.
     */
    private String olderHubsCluster(Path pgData) throws Exception {
        Path socket = Files.createDirectories(dir.resolve("socket"));
        SystemUser.handToPostgresIfRoot(dir);
        SystemUser.handToPostgresIfRoot(socket);
        runAsServer(List.of(binDir() + "/initdb", "-D", pgData.toString(), "-U", "hub", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync"));
        int port = FreePorts.find();
        runAsServer(List.of(binDir() + "/pg_ctl", "-D", pgData.toString(), "-o", "-p " + port + " -k " + socket
                + " -c listen_addresses=127.0.0.1 -c fsync=off", "-l", dir.resolve("postgres.log").toString(), "-w",
                "start"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "hub",
                "")) {
            c.createStatement().execute("CREATE DATABASE hub");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/hub";
        try (Connection c = DriverManager.getConnection(url, "hub", "")) {
            c.createStatement().execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
        }
        return url;
    }

    private void runAsServer(List<String> command) {
        List<String> full = new ArrayList<>(SystemUser.asPostgresIfRoot());
        full.addAll(command);
        SystemCommand.run(full, dir.resolve("old-initdb.out"));
    }

    private static String binDir() throws Exception {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> Files.exists(Path.of("/usr/share/postgresql", v.getFileName().toString(),
                    "extension/postgis.control"))).max(Comparator.comparing(v -> v.getFileName().toString()))
                    .orElseThrow().resolve("bin").toString();
        }
    }

    private static long postmasterPid(Path pgData) throws Exception {
        return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
    }
}
