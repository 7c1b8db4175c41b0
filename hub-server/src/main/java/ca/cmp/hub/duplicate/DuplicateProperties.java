package ca.cmp.hub.duplicate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What makes two programs likely duplicates (docs/duplicates.md).
 *
 * @param distanceMetres most geodesic distance, in metres, between a site of each
 * @param nameSimilarity least pg_trgm {@code similarity} of their names, 0 to 1, when their organizations differ
 */
@ConfigurationProperties("hub.duplicates")
record DuplicateProperties(@DefaultValue("100") double distanceMetres, @DefaultValue("0.5") double nameSimilarity) {

    DuplicateProperties {
        if (distanceMetres <= 0 || distanceMetres > 10_000) {
            throw new IllegalArgumentException("hub.duplicates.distance-metres must be above 0 and at most 10000");
        }
        if (nameSimilarity <= 0 || nameSimilarity > 1) {
            throw new IllegalArgumentException("hub.duplicates.name-similarity must be above 0 and at most 1");
        }
    }
}
