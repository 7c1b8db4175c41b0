package ca.cmp.hub.embedded;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A private Redis from the system's {@code redis-server}, bound to 127.0.0.1 on a free port. It is the hub's
 * cache, lock and rate-limit store; nothing in it is the only copy of anything, so it keeps no snapshot in
 * ephemeral (test) mode, and an append-only file in persistent mode only to keep caches warm across restarts.
 * Every client must authenticate ({@code requirepass}, from {@link EmbeddedSecrets}): otherwise any local process
 * could poison the analysis cache funders read. The password reaches the server on its standard input, never
 * on its command line, which every local user can list.
 */
final class EmbeddedRedis {

    private final Path dataDir;
    private final boolean ephemeral;
    private Process process;
    private int port;

    EmbeddedRedis(Path dataDir, boolean ephemeral) {
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    /** Starts the server and returns its URL, password included. */
    String start(String password) {
        Path executable = SystemCommand.onPath("redis-server").orElseThrow(() -> new EmbeddedServiceException("""
                Redis is not installed on this machine.
                  Install it:  bash hub-server/scripts/install-native-services.sh   (or: sudo apt-get install redis-server)
                  or point the hub at an existing server:  HUB_REDIS_URL=redis://host:6379"""));
        Path dir = dataDir.resolve("redis");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot create " + dir + ": " + e.getMessage());
        }
        port = FreePorts.find();
        // "-": the configuration (here the password) is read from standard input before the arguments.
        List<String> command = List.of(executable.toString(), "-", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "",
                "--appendonly", ephemeral ? "no" : "yes", "--daemonize", "no", "--loglevel", "warning");
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
            try (Writer config = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                config.write("requirepass " + password + "\n");
            }
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot start redis-server: " + e.getMessage());
        }
        awaitPort();
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    private void awaitPort() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new EmbeddedServiceException("redis-server exited with " + process.exitValue()
                        + " (see " + dataDir.resolve("redis/redis.log") + ")");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new EmbeddedServiceException("redis-server did not listen on port " + port + " within 10 s");
    }

    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }
}
