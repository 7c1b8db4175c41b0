package ca.cmp.hub.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled             off only for benchmarks against peers that have none
 * @param anonymousPerMinute  requests per minute per client IP without a token
 * @param clientPerMinute     requests per minute per token subject
 * @param joinRequestsPerHour requests to join the network per hour per client address (a public mutation that
 *                            writes a row and asks an administrator's time; applies even when {@code enabled} is
 *                            off)
 */
@ConfigurationProperties("hub.rate-limit")
record RateLimitProperties(boolean enabled, int anonymousPerMinute, int clientPerMinute, int joinRequestsPerHour) {
}
