package ca.cmp.hub.connector;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Seals and opens the secrets connectors keep (AES-GCM, a fresh 12-byte nonce each time, the connector's id as
 * associated data so a sealed value only opens for the connector it was sealed for). The key is
 * {@code hub.secrets.key}; a malformed key stops the hub at start-up, a missing one refuses only what needs it.
 */
@Component
class SealedSecrets {

    /** A stored secret cannot be used; the message says why, and names no secret. */
    static class Unavailable extends IllegalStateException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** No key is configured: the hub cannot keep secrets. The message says what to set. */
    static final class NoKey extends Unavailable {
        NoKey() {
            super("this hub keeps no secrets: set hub.secrets.key (HUB_SECRETS_KEY) to 32 random bytes in base64, "
                    + "e.g. openssl rand -base64 32");
        }
    }

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    SealedSecrets(SecretsProperties properties) {
        String text = properties.key() == null ? "" : properties.key().strip();
        if (text.isEmpty()) {
            this.key = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hub.secrets.key (HUB_SECRETS_KEY) is not base64");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalStateException("hub.secrets.key (HUB_SECRETS_KEY) is " + bytes.length
                    + " bytes; an AES key is 16, 24 or 32 (32 recommended)");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    boolean available() {
        return key != null;
    }

    /** @throws NoKey without a configured key */
    byte[] seal(UUID owner, String secret) {
        requireKey();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(owner));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @throws NoKey without a configured key
     * @throws Unavailable when the value was sealed with another key, or for another owner
     */
    String open(UUID owner, byte[] sealed) {
        requireKey();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associated(owner));
            return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // The cause names no secret; the key may have been changed since the secret was stored.
            throw new Unavailable("the stored client secret cannot be opened with hub.secrets.key (was the "
                    + "key changed since it was stored?); store the secret again with updateConnector");
        }
    }

    private void requireKey() {
        if (key == null) {
            throw new NoKey();
        }
    }

    private static byte[] associated(UUID owner) {
        return owner.toString().getBytes(StandardCharsets.UTF_8);
    }
}
