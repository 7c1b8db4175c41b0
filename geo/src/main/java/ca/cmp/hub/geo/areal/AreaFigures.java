package ca.cmp.hub.geo.areal;

/**
 * Figures of one census unit for an age window, as {@link ArealCoverage} defines them.
 *
 * @param youth            youth of the counted ages living in the unit
 * @param covered          of those, how many live inside a reach serving their age (areal weighting), 0..youth
 * @param coveredAreaShare land inside any fitting reach, as a share of the unit's land, 0..1
 * @param programsReaching fitting programs whose service area meets the unit
 */
public record AreaFigures(String id, double youth, double covered, double coveredAreaShare, int programsReaching) {

    public double uncovered() {
        return Math.max(0, youth - covered);
    }

    public double ratio() {
        return youth == 0 ? 0 : covered / youth;
    }
}
