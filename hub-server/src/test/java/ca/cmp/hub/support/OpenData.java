package ca.cmp.hub.support;

import java.nio.file.Path;

import ca.cmp.hub.opendata.OpenDataDirectory;

/** The real open-data bundle beside the repository ({@code ../shared/data}); tests fail loudly without it. */
public final class OpenData {

    private OpenData() {
    }

    public static Path dir() {
        return OpenDataDirectory.find(System.getenv("HUB_DATA_DIR")).orElseThrow(() -> new IllegalStateException(
                "the open-data bundle shared/data was not found above " + Path.of("").toAbsolutePath()
                        + "; set HUB_DATA_DIR"));
    }
}
