package ca.cmp.hub.census;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param loadBundle load the open-data bundle's census layers (provinces, census divisions, Toronto's
 *                   neighbourhoods) at start-up when they are not loaded yet
 * @param dataDir    the bundle ({@code shared/data}); blank: searched upwards from the working directory
 */
@ConfigurationProperties("hub.census")
record CensusProperties(boolean loadBundle, String dataDir) {
}
