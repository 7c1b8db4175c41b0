package ca.cmp.hub.coverage;

import ca.cmp.hub.census.SmallAreaProtection;

/**
 * The one disclosure rule for coverage figures, whichever door they leave by (GraphQL's coverage(), the map's
 * vector tiles): callers allowed {@code READ_DETAILED_FIGURES} get them unrounded; anyone else gets small-area
 * protection: an area with fewer youth than the threshold is suppressed whole; where the covered or the uncovered
 * part is below it, both parts and the ratio are withheld (a rounded youth and either part, or the exact ratio
 * times the youth, would give the small part away); otherwise counts are rounded and the ratio is computed from
 * the rounded counts.
 */
final class PublishedFigures {

    private PublishedFigures() {
    }

    static CoverageController.Figures of(double youth, double covered, boolean detailed, SmallAreaProtection privacy) {
        double ratio = youth == 0 ? 0 : covered / youth;
        if (detailed) {
            return new CoverageController.Figures(youth, covered, Math.max(0, youth - covered), ratio, false);
        }
        if (privacy.suppresses(youth)) {
            return new CoverageController.Figures(null, null, null, null, true);
        }
        double uncovered = Math.max(0, youth - covered);
        if (privacy.suppresses(covered) || privacy.suppresses(uncovered)) {
            return new CoverageController.Figures(privacy.publish(youth), null, null, null, true);
        }
        return new CoverageController.Figures(privacy.publish(youth), privacy.publish(covered),
                privacy.publish(uncovered), privacy.publishShare(covered, youth), false);
    }
}
