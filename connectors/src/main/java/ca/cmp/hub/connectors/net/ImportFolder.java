package ca.cmp.hub.connectors.net;

import java.nio.file.Path;

/**
 * A folder files may be read from, and the name callers know it by. Messages name folders only by this name, so
 * a partner or planner never learns where on the server they are.
 *
 * @param name what messages call it, e.g. {@code open-data} or {@code imports}
 * @param path where it is
 */
public record ImportFolder(String name, Path path) {

    public ImportFolder {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an import folder needs a name: " + path);
        }
    }

    /**
     * A configured entry: {@code name=/path/to/folder}, or just the path, then named by its last segment
     * ({@code /srv/cmp-hub/imports} is {@code imports}).
     */
    public static ImportFolder parse(String entry) {
        String text = entry.strip();
        int equals = text.indexOf('=');
        if (equals > 0) {
            return new ImportFolder(text.substring(0, equals).strip(), Path.of(text.substring(equals + 1).strip()));
        }
        return of(Path.of(text));
    }

    /** A folder named by its last segment. */
    public static ImportFolder of(Path path) {
        Path last = path.toAbsolutePath().normalize().getFileName();
        return new ImportFolder(last == null ? "/" : last.toString(), path);
    }
}
