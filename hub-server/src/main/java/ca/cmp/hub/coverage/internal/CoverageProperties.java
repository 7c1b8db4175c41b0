package ca.cmp.hub.coverage.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param warmUp     compute the map's national coverage in the background at start-up (needs the cache to help)
 * @param keepInputs keep the census areas and service areas of the current data version in memory between
 *                   analyses (the analyses' main cost otherwise); off reads them from PostGIS every time
 */
@ConfigurationProperties("hub.coverage")
record CoverageProperties(boolean warmUp, @DefaultValue("true") boolean keepInputs) {
}
