package ca.cmp.hub.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a server-management command to completion; its output goes to a file that errors point at. */
final class SystemCommand {

    private SystemCommand() {
    }

    static void run(List<String> command, Path output) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedServiceException(String.join(" ", command) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                String tail = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8).strip() : "";
                throw new EmbeddedServiceException(String.join(" ", command) + " failed (exit "
                        + process.exitValue() + "):\n" + tail);
            }
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedServiceException("interrupted while running " + command.get(0));
        }
    }

    static Optional<Path> onPath(String executable) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Arrays.stream((path + ":/usr/sbin:/usr/bin").split(":"))
                .map(dir -> Path.of(dir, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
