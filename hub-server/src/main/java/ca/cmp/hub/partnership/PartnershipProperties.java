package ca.cmp.hub.partnership;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param outlineMetres how far a region's drawn outline ({@code Partnership.outline}) may depart from the stored
 *                      region, in metres (topology-preserving simplification in EPSG:3347)
 */
@ConfigurationProperties("hub.partnerships")
record PartnershipProperties(double outlineMetres) {

    PartnershipProperties {
        if (outlineMetres < 0 || outlineMetres > 50_000) {
            throw new IllegalArgumentException("hub.partnerships.outline-metres must be from 0 to 50000");
        }
    }
}
