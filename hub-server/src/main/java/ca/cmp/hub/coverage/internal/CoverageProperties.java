package ca.cmp.hub.coverage.internal;

import ca.cmp.hub.geo.areal.CircleVertices;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param warmUp              compute the map's national coverage in the background at start-up (needs the cache
 *                            to help)
 * @param keepInputs          keep the census areas and service areas of the current data version in memory between
 *                            analyses (the analyses' main cost otherwise); off reads them from PostGIS every time
 * @param circleAreaTolerance how much of its disc a radius program's circle polygon may miss, as a share of the
 *                            disc's area; it sets the circle's vertex count ({@link CircleVertices}). Default 1e-4
 *                            (0.01%: 260 vertices); PostGIS's usual 64-gon misses 0.16%, which biased covered youth
 *                            low along every reach's edge. Accepted: 1e-7 to 0.36
 */
@ConfigurationProperties("hub.coverage")
record CoverageProperties(boolean warmUp, @DefaultValue("true") boolean keepInputs,
        @DefaultValue("" + DEFAULT_CIRCLE_AREA_TOLERANCE) double circleAreaTolerance) {

    static final double DEFAULT_CIRCLE_AREA_TOLERANCE = 1e-4;

    CoverageProperties {
        if (!(circleAreaTolerance >= CircleVertices.MIN_TOLERANCE
                && circleAreaTolerance <= CircleVertices.MAX_TOLERANCE)) {
            throw new IllegalArgumentException("hub.coverage.circle-area-tolerance must be between "
                    + CircleVertices.MIN_TOLERANCE + " and " + CircleVertices.MAX_TOLERANCE
                    + " (a share of the disc's area), got " + circleAreaTolerance);
        }
    }

    /** Segments per quarter circle of a radius program's service area (PostGIS {@code quad_segs}). */
    int circleQuadrantSegments() {
        return CircleVertices.quadrantSegments(circleAreaTolerance);
    }
}
