package ca.cmp.hub.map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param baseMapUrl         an optional XYZ tile URL template ({z}/{x}/{y}) for deployments that have a base map;
 *                           blank: none (the map needs no internet: outlines and areas come from the hub)
 * @param baseMapAttribution its credit line
 * @param tileCacheMinutes   how long a vector tile stays in Redis (a write makes it unreachable at once anyway);
 *                           0: not cached
 */
@ConfigurationProperties("hub.map")
record MapProperties(String baseMapUrl, String baseMapAttribution, @DefaultValue("60") int tileCacheMinutes) {
}
