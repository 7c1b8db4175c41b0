package ca.cmp.hub.map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param baseMapUrl         an optional XYZ tile URL template ({z}/{x}/{y}) for deployments that have a base map;
 *                           blank: none (the map needs no internet: outlines and areas come from the hub)
 * @param baseMapAttribution its credit line
 * @param tileCacheMinutes   how long a vector tile stays in Redis (a write makes it unreachable at once anyway);
 *                           0: not cached
 * @param tileMemoryMb       tile bytes kept in each instance's heap in front of Redis, megabytes (0: none)
 * @param warmUp             build the datasets' extents and the national view's public tiles at start-up and a few
 *                           seconds after each change (off in the test suite: it would build in the background of
 *                           every test that writes)
 */
@ConfigurationProperties("hub.map")
public record MapProperties(String baseMapUrl, String baseMapAttribution, @DefaultValue("60") int tileCacheMinutes,
        @DefaultValue("64") int tileMemoryMb, @DefaultValue("true") boolean warmUp) {
}
