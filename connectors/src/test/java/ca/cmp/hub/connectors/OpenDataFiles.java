package ca.cmp.hub.connectors;

import java.nio.file.Files;
import java.nio.file.Path;

/** The open-data bundle ({@code ../shared/data} from the project root), found upwards from the working directory. */
public final class OpenDataFiles {

    private OpenDataFiles() {
    }

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data");
            if (Files.isDirectory(candidate.resolve("census"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("the open-data bundle shared/data was not found above "
                + Path.of("").toAbsolutePath());
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
