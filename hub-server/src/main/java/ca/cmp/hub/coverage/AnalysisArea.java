package ca.cmp.hub.coverage;

import org.locationtech.jts.geom.Geometry;

/**
 * A census area as the analyses read it: its geometry in EPSG:3347 (metres) and youth by single age (index 0 = age
 * 6 … 12 = age 18), with how those counts were obtained. {@code youthUnknown}: the source suppressed its counts
 * (x, .., F), so its youth are zeros that mean nothing; analyses leave it out and say so.
 */
public record AnalysisArea(String code, String name, String province, Geometry geometry, double[] youthByAge,
        String youthMethod, boolean youthUnknown) {
}
