package ca.cmp.hub.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled load demo data into an empty database at start-up
 * @param dataDir the open-data bundle ({@code shared/data}); blank: searched upwards from the working directory
 */
@ConfigurationProperties("hub.demo")
record DemoProperties(boolean enabled, String dataDir) {
}
