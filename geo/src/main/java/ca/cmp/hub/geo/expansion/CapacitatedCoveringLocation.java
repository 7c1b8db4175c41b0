package ca.cmp.hub.geo.expansion;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

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
        int candidates = cx.length;
        if (sites < 0 || sites > candidates) {
            throw new IllegalArgumentException("cannot choose " + sites + " of " + candidates + " candidates");
        }
        double[] remaining = demand.weight().clone();
        PriorityQueue<double[]> queue = new PriorityQueue<>(Math.max(1, candidates),
                (a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int c = 0; c < candidates; c++) {
            queue.add(new double[] {gain(sets.points[c], remaining, places), c, 0});
        }
        int[] chosen = new int[sites];
        double[] marginal = new double[sites];
        double total = 0;
        for (int round = 0; round < sites; round++) {
            while (true) {
                double[] top = queue.poll();
                int c = (int) top[1];
                if ((int) top[2] == round) {
                    chosen[round] = c;
                    marginal[round] = top[0];
                    total += top[0];
                    take(demand, sets.points[c], cx[c], cy[c], remaining, places);
                    break;
                }
                queue.add(new double[] {gain(sets.points[c], remaining, places), c, round});
            }
        }
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
