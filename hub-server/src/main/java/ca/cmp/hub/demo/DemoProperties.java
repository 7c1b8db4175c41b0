package ca.cmp.hub.demo;

import java.util.List;

import ca.cmp.hub.security.SecurityProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled load demo data into an empty database at start-up
 * @param dataDir the open-data bundle ({@code shared/data}); blank: searched upwards from the working directory
 * @param clients the demo's API clients, one per role, created (unless present) as any client is
 */
@ConfigurationProperties("hub.demo")
record DemoProperties(boolean enabled, String dataDir, List<SecurityProperties.Client> clients) {
}
