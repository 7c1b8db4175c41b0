package ca.cmp.hub.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/** PostgreSQL will not run as root: as root, server commands run as the {@code postgres} system user. */
final class SystemUser {

    private SystemUser() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static List<String> asPostgresIfRoot() {
        return isRoot() ? List.of("runuser", "-u", "postgres", "--") : List.of();
    }

    static void handToPostgresIfRoot(Path dir) throws IOException {
        if (isRoot()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
    }
}
