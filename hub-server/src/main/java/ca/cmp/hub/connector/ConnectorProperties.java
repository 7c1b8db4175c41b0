package ca.cmp.hub.connector;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param allowedNetworks CIDR blocks connectors may reach although private (an administrator's decision)
 * @param importDirs      folders file locations must lie in (besides the open-data bundle, named
 *                        {@code open-data}): {@code name=/path}, or a path named by its last segment; messages to
 *                        callers name a folder only by its name, never by where it is
 * @param readTimeout     for a whole response; a server that trickles is cut off
 * @param attempts        tries per request for transient failures, with {@code backoff} doubling between them
 * @param openDataDir     the open-data bundle (blank: searched upwards), for postal-code geocoding
 * @param pollInterval    how often due connectors are looked for
 * @param lockTtl         longest a scheduled run holds its lock
 * @param workers         runs at the same time per instance
 */
@ConfigurationProperties("hub.connectors")
record ConnectorProperties(List<String> allowedNetworks, List<String> importDirs, String openDataDir,
        Duration connectTimeout,
        Duration readTimeout, DataSize maxSize, int attempts, Duration backoff, Duration pollInterval,
        Duration lockTtl, int workers) {

    ConnectorProperties {
        allowedNetworks = allowedNetworks == null ? List.of()
                : allowedNetworks.stream().filter(s -> !s.isBlank()).toList();
        importDirs = importDirs == null ? List.of() : importDirs.stream().filter(s -> !s.isBlank()).toList();
    }
}
