package ca.cmp.hub.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A redis-server of a test's own, on a fixed port, that the test can stop and start again. Like the hub's
 * embedded one it requires a password (random per instance, given on standard input, not the command line).
 */
public final class RedisProcess {

    private final int port;
    private final Path dir;
    private final String password = UUID.randomUUID().toString();
    private Process process;

    public RedisProcess() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dir = Files.createTempDirectory("hub-test-redis-");
    }

    public String url() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("redis-server", "-", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try (OutputStream config = process.getOutputStream()) {
            config.write(("requirepass " + password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on " + port);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
