package ca.cmp.hub.coverage;

import org.locationtech.jts.geom.Geometry;

/**
 * A census area as the analyses read it: its geometry in EPSG:3347 (metres) and youth by single age (index 0 = age
 * 6 … 12 = age 18), with how those counts were obtained.
 */
public record AnalysisArea(String code, String name, String province, Geometry geometry, double[] youthByAge,
        String youthMethod) {
}
