package ca.cmp.hub.expansion;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param cellSize      side in metres of the grid unmet youth are placed on (smaller: closer to exact areal
 *                      weighting, slower)
 * @param maxCandidates most candidate sites one plan considers
 * @param maxSites      most new sites one plan may choose
 * @param openDataDir   the open-data bundle (named candidate sets); blank: searched upwards
 */
@ConfigurationProperties("hub.expansion")
record ExpansionProperties(double cellSize, int maxCandidates, int maxSites, String openDataDir) {
}
