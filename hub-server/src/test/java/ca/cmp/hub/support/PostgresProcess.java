package ca.cmp.hub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL + PostGIS cluster of a test's own, on a fixed port, that the test can stop and start again without
 * disturbing the cluster other test classes share. Like the hub's embedded one it requires a password (random per
 * instance, scram-sha-256) and, as root, runs as the {@code postgres} system user.
 */
public final class PostgresProcess {

    private final int port;
    private final Path dir;
    private final Path bin;
    private final String password = UUID.randomUUID().toString();

    public PostgresProcess() throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.filter(v -> Files.exists(Path.of("/usr/share/postgresql", v.getFileName().toString(),
                    "extension/postgis.control"))).max(Comparator.comparing(v -> v.getFileName().toString()))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL with PostGIS")).resolve("bin");
        }
        dir = Files.createTempDirectory("hub-test-postgres-");
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "hub",
                "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), true);
        Files.delete(pwfile);
        start();
        run(List.of(bin.resolve("psql").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "hub", "-d", "postgres", "-c", "CREATE DATABASE hub"), true);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/hub";
    }

    public String password() {
        return password;
    }

    public void start() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"), true);
    }

    /** Stops the server: {@code fast} ends every session, {@code immediate} kills them as a crash would. */
    public void stop(String mode) throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", mode, "-w",
                "stop"), true);
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.out").toFile()));
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " failed; see " + dir.resolve("commands.out"));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
