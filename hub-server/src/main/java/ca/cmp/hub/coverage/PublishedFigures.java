package ca.cmp.hub.coverage;

import ca.cmp.hub.census.SmallAreaProtection;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.security.Role;

/**
 * The one disclosure rule for coverage figures, whichever door they leave by (GraphQL's coverage(), the map's
 * vector tiles): funders, planners and admins get them unrounded; anyone else gets small-area protection (an
 * area with fewer youth than the threshold is suppressed whole, other counts are rounded; the ratio is kept).
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
        return new CoverageController.Figures(privacy.publish(youth), privacy.publish(covered),
                privacy.publish(Math.max(0, youth - covered)), ratio, false);
    }

    /** Whether the current caller sees unrounded figures. */
    static boolean detailed() {
        CurrentCaller caller = CurrentCaller.get();
        return caller.has(Role.FUNDER) || caller.has(Role.PLANNER);
    }
}
