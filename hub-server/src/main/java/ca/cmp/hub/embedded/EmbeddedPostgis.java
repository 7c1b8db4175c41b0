package ca.cmp.hub.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.postgresql.PGConnection;

/**
 * A private PostgreSQL + PostGIS cluster run from the system's own packages (no Docker, no download).
 *
 * <p>The cluster lives in {@code dataDir/postgres}; it survives hub restarts, so stopping and starting the hub
 * loses nothing. A cluster left running by a hub that was killed is found through its {@code postmaster.pid} and
 * reused. It listens on 127.0.0.1 only, with a socket directory of its own (Debian's default
 * {@code /var/run/postgresql} is not writable for it). Every connection, over TCP or the socket, must give the
 * password of its single superuser {@code hub} (scram-sha-256), kept in {@link EmbeddedSecrets}. A cluster made
 * by an older hub, which trusted every local connection, is upgraded on start: the password is set, then
 * {@code pg_hba.conf} rewritten and reloaded. PostgreSQL refuses to run as root, so as root every server command
 * runs as the {@code postgres} system user, which then owns the data directory.
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

    /** Every connection, local socket or loopback TCP, authenticates with the password. */
    static final String PG_HBA = """
            # Written by the hub: every connection gives the password kept in ../secrets.properties.
            # TYPE  DATABASE     USER  ADDRESS       METHOD
            local   all          all                 scram-sha-256
            host    all          all   127.0.0.1/32  scram-sha-256
            host    all          all   ::1/128       scram-sha-256
            local   replication  all                 scram-sha-256
            host    replication  all   127.0.0.1/32  scram-sha-256
            host    replication  all   ::1/128       scram-sha-256
            """;

    /**
     * Starts (or reuses) the cluster, creates the database if needed and returns its JDBC URL.
     *
     * @param password the superuser's password: set when the cluster is created, or when an older one that
     *                 trusted local connections is upgraded
     */
    String start(String password) {
        Path pgData = dataDir.resolve("postgres");
        Path socketDir = dataDir.resolve("socket");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(socketDir);
            SystemUser.handToPostgresIfRoot(dataDir);
            SystemUser.handToPostgresIfRoot(socketDir);
            if (!Files.exists(pgData.resolve("PG_VERSION"))) {
                initdb(pgData, password);
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
            requirePassword(pgData, password);
            createDatabaseIfMissing(password);
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

    private void initdb(Path pgData, String password) throws IOException {
        // initdb reads the password from a file; as root it runs as postgres, so the file is postgres's, briefly.
        Path pwfile = EmbeddedSecrets.ownerOnlyFile(dataDir.resolve("initdb-password"));
        try {
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            SystemUser.handToPostgresIfRoot(pwfile);
            run(List.of(binDir.resolve("initdb").toString(), "-D", pgData.toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /**
     * Upgrades a cluster whose {@code pg_hba.conf} lets anyone in (an older hub's {@code -A trust}): sets the
     * superuser's password while trust still admits us, then rewrites the rules and has the server reload them,
     * waiting until new connections are judged by them.
     */
    private void requirePassword(Path pgData, String password) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        if (onlyPasswords(Files.readAllLines(hba, StandardCharsets.UTF_8))) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), USER, password)) {
            Timestamp loaded = configLoadTime(c);
            // Hashed by the driver: the password itself never reaches the server's logs.
            c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
            // Written in place, so the file keeps the cluster owner's ownership and mode.
            Files.writeString(hba, PG_HBA, StandardCharsets.UTF_8);
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Connection fresh = DriverManager.getConnection(adminUrl(), USER, password)) {
                    if (configLoadTime(fresh).after(loaded)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new EmbeddedServiceException("PostgreSQL on port " + port + " did not reload "
                            + hba + " within 10 s (see " + dataDir.resolve("postgres.log") + ")");
                }
                Thread.onSpinWait();
            }
        } catch (SQLException e) {
            throw new EmbeddedServiceException("cannot set the password of PostgreSQL in " + pgData + ": "
                    + e.getMessage());
        }
    }

    /** Whether every rule of a pg_hba.conf asks for a scram-sha-256 password. */
    static boolean onlyPasswords(List<String> hbaLines) {
        return hbaLines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .allMatch(l -> List.of(l.split("\\s+")).contains("scram-sha-256"));
    }

    private static Timestamp configLoadTime(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_conf_load_time()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void createDatabaseIfMissing(String password) {
        try (Connection c = DriverManager.getConnection(adminUrl(), USER, password)) {
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
            String hint = "28P01".equals(e.getSQLState()) ? "; it does not take the password in "
                    + dataDir.resolve(EmbeddedSecrets.FILE) + " (was that file replaced?)" : "";
            throw new EmbeddedServiceException("PostgreSQL started on port " + port + " but is unusable: "
                    + e.getMessage() + hint + " (see " + dataDir.resolve("postgres.log") + ")");
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>(SystemUser.asPostgresIfRoot());
        full.addAll(command);
        SystemCommand.run(full, dataDir.resolve("postgres-" + Path.of(command.get(0)).getFileName() + ".out"));
    }
}
