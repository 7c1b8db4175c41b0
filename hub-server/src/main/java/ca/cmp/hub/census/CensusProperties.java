package ca.cmp.hub.census;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param loadBundle load the open-data bundle's census layers (provinces, census divisions, Toronto's
 *                   neighbourhoods) at start-up when they are not loaded yet
 * @param dataDir    the bundle ({@code shared/data}); blank: searched upwards from the working directory
 * @param importDirs folders the files of {@code loadCensusDataset} must lie in, besides the bundle; by default
 *                   the connectors' import folders ({@code HUB_IMPORT_DIRS}), so one setting confines both
 */
@ConfigurationProperties("hub.census")
record CensusProperties(boolean loadBundle, String dataDir, List<String> importDirs) {

    CensusProperties {
        importDirs = importDirs == null ? List.of() : importDirs.stream().filter(s -> !s.isBlank()).toList();
    }
}
