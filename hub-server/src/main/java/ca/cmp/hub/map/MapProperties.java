package ca.cmp.hub.map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param baseMapUrl         an optional XYZ tile URL template ({z}/{x}/{y}) for deployments that have a base map;
 *                           blank: none (the map needs no internet: outlines and areas come from the hub)
 * @param baseMapAttribution its credit line
 */
@ConfigurationProperties("hub.map")
record MapProperties(String baseMapUrl, String baseMapAttribution) {
}
