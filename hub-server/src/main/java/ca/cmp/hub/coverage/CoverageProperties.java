package ca.cmp.hub.coverage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param warmUp compute the map's national coverage in the background at start-up (needs the cache to help) */
@ConfigurationProperties("hub.coverage")
record CoverageProperties(boolean warmUp) {
}
