package ca.cmp.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The embedded issuer's RSA key, kept in a file readable by its owner only, so tokens survive restarts and
 * several hub instances sharing the file accept each other's tokens.
 */
final class SigningKey {

    private SigningKey() {
    }

    static RSAKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "jwk", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
            // A hard link never replaces an existing file: of two instances starting together, one key wins.
            try {
                Files.createLink(file, temporary);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // The other instance's key is the one.
            } finally {
                Files.deleteIfExists(temporary);
            }
            return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot read or create the signing key " + file + ": " + e.getMessage(), e);
        }
    }
}
