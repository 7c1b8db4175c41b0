package ca.cmp.hub.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled            off only for benchmarks against peers that have none
 * @param anonymousPerMinute requests per minute per client IP without a token
 * @param clientPerMinute    requests per minute per token subject
 */
@ConfigurationProperties("hub.rate-limit")
record RateLimitProperties(boolean enabled, int anonymousPerMinute, int clientPerMinute) {
}
