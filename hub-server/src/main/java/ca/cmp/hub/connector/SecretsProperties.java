package ca.cmp.hub.connector;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param key the key that seals secrets the hub must keep to use later (a GRAPHQL connector's upstream client
 *            secret): 16, 24 or 32 random bytes in base64 (e.g. {@code openssl rand -base64 32}); blank when the
 *            hub keeps none, and then registering such a secret is refused, saying this
 */
@ConfigurationProperties("hub.secrets")
record SecretsProperties(String key) {
}
