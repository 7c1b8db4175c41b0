package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Sealed connector secrets open for their own connector, with the key they were sealed with, only. */
class SealedSecretsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aSealedSecretOpensForItsConnectorOnly() {
        SealedSecrets secrets = new SealedSecrets(new SecretsProperties(KEY));
        UUID connector = UUID.randomUUID();
        byte[] sealed = secrets.seal(connector, "the-upstream-secret");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("the-upstream-secret");
        assertThat(secrets.seal(connector, "the-upstream-secret")).isNotEqualTo(sealed);
        assertThat(secrets.open(connector, sealed)).isEqualTo("the-upstream-secret");
        assertThatThrownBy(() -> secrets.open(UUID.randomUUID(), sealed))
                .isInstanceOf(SealedSecrets.Unavailable.class).hasMessageContaining("cannot be opened")
                .hasMessageNotContaining("the-upstream-secret");
        SealedSecrets otherKey = new SealedSecrets(new SecretsProperties(
                Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes())));
        assertThatThrownBy(() -> otherKey.open(connector, sealed)).isInstanceOf(SealedSecrets.Unavailable.class);
    }

    @Test
    void withoutAKeyNothingIsSealedAndAMalformedKeyStopsTheHub() {
        SealedSecrets none = new SealedSecrets(new SecretsProperties(""));
        assertThat(none.available()).isFalse();
        assertThatThrownBy(() -> none.seal(UUID.randomUUID(), "x")).isInstanceOf(SealedSecrets.NoKey.class)
                .hasMessageContaining("HUB_SECRETS_KEY");
        assertThatThrownBy(() -> new SealedSecrets(new SecretsProperties("c2hvcnQ=")))
                .hasMessageContaining("is 5 bytes");
        assertThatThrownBy(() -> new SealedSecrets(new SecretsProperties("not base64!")))
                .hasMessageContaining("is not base64");
    }
}
