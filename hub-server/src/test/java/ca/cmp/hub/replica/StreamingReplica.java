package ca.cmp.hub.replica;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL 15 primary and a streaming standby made from it with {@code pg_basebackup -R}, for one test
 * class (the shared test database is left alone). Trust authentication on loopback: throw-away clusters. As root,
 * every server command runs as the {@code postgres} user, which owns the directory.
 */
final class StreamingReplica {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int primaryPort;
    private final int standbyPort;

    private StreamingReplica(Path dir, int primaryPort, int standbyPort) {
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    static StreamingReplica start() {
        try {
            Path dir = Files.createTempDirectory("hub-replica-test-");
            Files.createDirectories(dir.resolve("socket"));
            handToPostgres(dir);
            handToPostgres(dir.resolve("socket"));
            StreamingReplica r = new StreamingReplica(dir, freePort(), freePort());
            r.run(BIN.resolve("initdb").toString(), "-D", r.primaryDir().toString(), "-U", "hub", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
            // Replication on: initdb's pg_hba.conf already admits local replication connections (trust).
            Files.writeString(r.primaryDir().resolve("postgresql.conf"), """

                    wal_level = replica
                    max_wal_senders = 5
                    listen_addresses = '127.0.0.1'
                    fsync = off
                    synchronous_commit = off
                    """, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            r.startPrimary();
            try (Connection c = DriverManager.getConnection(r.adminUrl(r.primaryPort), "hub", "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE hub");
            }
            r.run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(r.primaryPort),
                    "-U", "hub", "-D", r.standbyDir().toString(), "-R", "-X", "stream", "--no-sync");
            r.startStandby();
            return r;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot set up the primary and its standby: " + e.getMessage(), e);
        }
    }

    String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/hub";
    }

    String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/hub";
    }

    Connection standby() throws SQLException {
        return DriverManager.getConnection(standbyUrl(), "hub", "");
    }

    Connection primary() throws SQLException {
        return DriverManager.getConnection(primaryUrl(), "hub", "");
    }

    void startStandby() {
        pgCtl(standbyDir(), standbyPort, "start");
    }

    void stopStandby() {
        run(BIN.resolve("pg_ctl").toString(), "-D", standbyDir().toString(), "-m", "immediate", "-w", "stop");
    }

    void stop() {
        for (Path data : List.of(standbyDir(), primaryDir())) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException ignored) {
                    // Going away anyway.
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }

    private void startPrimary() {
        pgCtl(primaryDir(), primaryPort, "start");
    }

    private void pgCtl(Path data, int port, String action) {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-o",
                "-p " + port + " -k " + dir.resolve("socket") + " -c listen_addresses=127.0.0.1",
                "-l", dir.resolve(data.getFileName() + ".log").toString(), "-w", "-t", "60", action);
    }

    private Path primaryDir() {
        return dir.resolve("primary");
    }

    private Path standbyDir() {
        return dir.resolve("standby");
    }

    private String adminUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void run(String... command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        try {
            Path out = Files.createTempFile("hub-replica-cmd-", ".log");
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + Files.readString(out));
            }
            Files.deleteIfExists(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void handToPostgres(Path path) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal postgres = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(path, postgres);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
