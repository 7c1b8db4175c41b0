package ca.cmp.hub.geo.expansion;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The capacity-aware variant of {@link MaximalCoveringLocation}: each new site offers {@code places} mentoring
 * places, and what it adds is the unserved youth it can actually take, {@code min(places, unserved demand within
 * radius)}, not every young person within reach. A chosen site takes its mentees nearest first; what it cannot
 * take stays unserved for the next. Greedy with lazy evaluation (a site's gain only falls as others take demand
 * near it); no swap search, since the allocation makes exchanges path-dependent.
 *
 * <p>Preconditions as for {@link MaximalCoveringLocation}; {@code places} &gt; 0.
 */
public final class CapacitatedCoveringLocation {

    private CapacitatedCoveringLocation() {
    }

    public static MaximalCoveringLocation.Plan solve(Demand demand, double[] cx, double[] cy, double radius,
            int sites, double places) {
        if (!(places > 0)) {
            throw new IllegalArgumentException("places must be positive, got " + places);
        }
        CoverageSets sets = CoverageSets.build(demand, cx, cy, radius);
        double[] remaining = demand.weight().clone();
        int[] chosen = new int[sites];
        double[] marginal = new double[sites];
        LazyGreedy.run(cx.length, sites, c -> gain(sets.points[c], remaining, places), (round, c, gain) -> {
            chosen[round] = c;
            marginal[round] = gain;
            take(demand, sets.points[c], cx[c], cy[c], remaining, places);
        });
        double total = java.util.Arrays.stream(marginal).sum();
        return new MaximalCoveringLocation.Plan(chosen, marginal, total, total, 0);
    }

    private static double gain(int[] set, double[] remaining, double places) {
        double g = 0;
        for (int p : set) {
            g += remaining[p];
            if (g >= places) {
                return places;
            }
        }
        return g;
    }

    private static void take(Demand demand, int[] set, double x, double y, double[] remaining, double places) {
        Integer[] byDistance = Arrays.stream(set).boxed().toArray(Integer[]::new);
        Arrays.sort(byDistance, Comparator.comparingDouble(p -> {
            double dx = demand.x()[p] - x;
            double dy = demand.y()[p] - y;
            return dx * dx + dy * dy;
        }));
        double left = places;
        for (int p : byDistance) {
            double taken = Math.min(left, remaining[p]);
            remaining[p] -= taken;
            left -= taken;
            if (left <= 0) {
                break;
            }
        }
    }
}
