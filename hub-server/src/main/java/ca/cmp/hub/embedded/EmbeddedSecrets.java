package ca.cmp.hub.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded servers' passwords, one pair per installation: generated on first start into
 * {@code dataDir/secrets.properties}, owned by the hub's user and readable by it alone (0600). Without them any
 * local user or process could connect to the embedded PostgreSQL (its superuser included) or Redis.
 *
 * <p>As root the cluster runs as the {@code postgres} user, who never reads this file: it gets the password
 * once, through a short-lived file of its own, when the cluster is created or upgraded.
 *
 * @param postgres the password of the cluster's superuser {@value EmbeddedPostgis#USER}
 * @param redis    Redis's {@code requirepass}
 */
record EmbeddedSecrets(String postgres, String redis) {

    static final String FILE = "secrets.properties";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String toString() {
        return "EmbeddedSecrets[hidden]";
    }

    /** Reads the data directory's secrets, or generates and stores them; tightens a file others could read. */
    static EmbeddedSecrets loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return read(file);
            }
            Properties values = new Properties();
            values.setProperty("postgres.password", generate());
            values.setProperty("redis.password", generate());
            Path tmp = ownerOnlyFile(dataDir.resolve(FILE + ".tmp"));
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                values.store(out, "Passwords of the hub's embedded PostgreSQL and Redis. Keep this file private.");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return read(file);
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot keep the embedded servers' passwords in " + file + ": "
                    + e.getMessage());
        }
    }

    private static EmbeddedSecrets read(Path file) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new EmbeddedServiceException(file + " is not a regular file; remove it and restart the hub");
        }
        String me = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(me)) {
            throw new EmbeddedServiceException(file + " belongs to " + attributes.owner().getName() + ", not to "
                    + me + " who runs the hub: another user could have chosen these passwords");
        }
        if (!attributes.permissions().equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(in);
        }
        String postgres = values.getProperty("postgres.password");
        String redis = values.getProperty("redis.password");
        if (postgres == null || postgres.isBlank() || redis == null || redis.isBlank()) {
            throw new EmbeddedServiceException(file + " lacks postgres.password or redis.password");
        }
        return new EmbeddedSecrets(postgres, redis);
    }

    /** A new, empty file only its owner can read and write (created so, never widened by the umask). */
    static Path ownerOnlyFile(Path path) throws IOException {
        Files.deleteIfExists(path);
        return Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }

    /** 256 random bits, URL-safe Base64: no character that a URL, a config file or SQL would need escaped. */
    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
