package ca.cmp.hub.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private PostgreSQL + PostGIS cluster run from the system's own packages (no Docker, no download).
 *
 * <p>The cluster lives in {@code dataDir/postgres}; it survives hub restarts, so stopping and starting the hub
 * loses nothing. A cluster left running by a hub that was killed is found through its {@code postmaster.pid} and
 * reused. It listens on 127.0.0.1 only, with a socket directory of its own (Debian's default
 * {@code /var/run/postgresql} is not writable for it), and trusts local connections of its single superuser
 * {@code hub}. PostgreSQL refuses to run as root, so as root every server command runs as the {@code postgres}
 * system user, which then owns the data directory.
 */
final class EmbeddedPostgis {

    static final String USER = "hub";
    static final String DATABASE = "hub";

    private final Path dataDir;
    private final Path binDir;
    private final boolean ephemeral;
    private int port;

    private EmbeddedPostgis(Path dataDir, Path binDir, boolean ephemeral) {
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.ephemeral = ephemeral;
    }

    /** Finds the newest local PostgreSQL that has PostGIS, or fails saying exactly what to install. */
    static EmbeddedPostgis locate(Path dataDir, Optional<Path> configuredBinDir, boolean ephemeral) {
        Path bin = configuredBinDir.orElseGet(EmbeddedPostgis::findBinDirWithPostgis);
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new EmbeddedServiceException("no PostgreSQL server binaries (initdb, pg_ctl) in " + bin);
        }
        return new EmbeddedPostgis(dataDir, bin, ephemeral);
    }

    private static Path findBinDirWithPostgis() {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .filter(v -> Files.exists(Path.of("/usr/share/postgresql", v.getFileName().toString(),
                                "extension/postgis.control")))
                        .sorted(Comparator.comparing((Path v) -> versionNumber(v.getFileName().toString())).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new EmbeddedServiceException("cannot list " + root + ": " + e.getMessage());
            }
        }
        if (candidates.isEmpty()) {
            throw new EmbeddedServiceException("""
                    PostgreSQL with PostGIS is not installed on this machine.
                      Install it:  bash hub-server/scripts/install-native-services.sh
                                   (or: sudo apt-get install postgresql-postgis redis-server)
                      or point the hub at an existing database:  HUB_DB_URL=jdbc:postgresql://host:5432/hub""");
        }
        return candidates.get(0);
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Starts (or reuses) the cluster, creates the database if needed and returns its JDBC URL. */
    String start() {
        Path pgData = dataDir.resolve("postgres");
        Path socketDir = dataDir.resolve("socket");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(socketDir);
            SystemUser.handToPostgresIfRoot(dataDir);
            SystemUser.handToPostgresIfRoot(socketDir);
            if (!Files.exists(pgData.resolve("PG_VERSION"))) {
                run(List.of(binDir.resolve("initdb").toString(), "-D", pgData.toString(), "-U", USER, "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
            }
            Optional<Integer> running = runningPort(pgData);
            if (running.isPresent()) {
                port = running.get();
            } else {
                port = FreePorts.find();
                String options = String.join(" ", "-p", Integer.toString(port), "-k", socketDir.toString(),
                        "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
                        "-c", "shared_buffers=256MB", "-c", "work_mem=32MB",
                        // Throw-away test clusters trade durability for speed; a persistent one keeps fsync.
                        ephemeral ? "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
                run(List.of(binDir.resolve("pg_ctl").toString(), "-D", pgData.toString(), "-o", options,
                        "-l", dataDir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
            }
            createDatabaseIfMissing();
            return jdbcUrl();
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot prepare " + dataDir + ": " + e.getMessage());
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    void stop() {
        Path pgData = dataDir.resolve("postgres");
        if (Files.exists(pgData.resolve("postmaster.pid"))) {
            try {
                run(List.of(binDir.resolve("pg_ctl").toString(), "-D", pgData.toString(), "-m",
                        ephemeral ? "immediate" : "fast", "-w", "stop"));
            } catch (RuntimeException e) {
                // Shutting down anyway; the next start will detect and recover the cluster.
            }
        }
    }

    /** The port of a postmaster already serving this data directory, if one is alive. */
    private Optional<Integer> runningPort(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
    }

    private void createDatabaseIfMissing() {
        String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, USER, "")) {
            boolean exists;
            try (var st = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                st.setString(1, DATABASE);
                exists = st.executeQuery().next();
            }
            if (!exists) {
                try (var st = c.createStatement()) {
                    st.execute("create database " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedServiceException("PostgreSQL started on port " + port + " but is unusable: "
                    + e.getMessage() + " (see " + dataDir.resolve("postgres.log") + ")");
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>(SystemUser.asPostgresIfRoot());
        full.addAll(command);
        SystemCommand.run(full, dataDir.resolve("postgres-" + Path.of(command.get(0)).getFileName() + ".out"));
    }
}
