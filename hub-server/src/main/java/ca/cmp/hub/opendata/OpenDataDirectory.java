package ca.cmp.hub.opendata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Canadian open-data bundle. It is third-party data kept beside the repository ({@code ../shared/data}
 * from the project root), never inside it; a configured path wins, else the working directory and its parents
 * are searched for {@code shared/data}, so the hub finds it whether run from the root or from {@code hub-server/}.
 */
public final class OpenDataDirectory {

    private OpenDataDirectory() {
    }

    public static Optional<Path> find(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data");
            if (Files.isDirectory(candidate.resolve("census"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
