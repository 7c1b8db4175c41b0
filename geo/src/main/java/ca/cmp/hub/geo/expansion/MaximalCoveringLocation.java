package ca.cmp.hub.geo.expansion;

/**
 * Maximal covering location with the existing programs fixed: choose {@code sites} of the candidate locations so
 * that the most unmet demand lies within {@code radius} of a chosen one (Church &amp; ReVelle's MCLP, weighted).
 *
 * <p>Method: greedy with lazy evaluation (CELF: a candidate's gain can only fall as sites are chosen, so stale
 * gains are upper bounds and only the top of the queue is re-evaluated), then 1-swap local search
 * ({@link SwapSearch}): each pass applies, over every unchosen candidate and every chosen site, the exchange that
 * gains most, until no exchange gains.
 * Greedy alone is guaranteed 1 − 1/e of the optimum and falls to about 83% on the textbook traps (one broad site
 * overlapping two better complementary ones); the swaps repair those. Quality against the exhaustive optimum is
 * measured in the tests.
 *
 * <p>Preconditions: demand and candidates in one planar CRS in metres; distances are planar (in EPSG:3347 a few
 * parts per thousand from ground distance across southern Canada). Weights are non-negative.
 */
public final class MaximalCoveringLocation {

    /**
     * @param chosen        candidate indexes in the order they add most (the first adds the most)
     * @param marginal      demand each adds after the ones before it
     * @param greedyCovered demand covered by the greedy choice before swaps
     * @param covered       demand covered by the final choice
     * @param swaps         exchanges the local search made
     */
    public record Plan(int[] chosen, double[] marginal, double greedyCovered, double covered, int swaps) {
    }

    private MaximalCoveringLocation() {
    }

    /**
     * @param cx    candidate x (metres)
     * @param cy    candidate y (metres)
     * @param sites how many to choose, at most the number of candidates
     */
    public static Plan solve(Demand demand, double[] cx, double[] cy, double radius, int sites) {
        return solve(demand, CoverageSets.build(demand, cx, cy, radius), sites, true);
    }

    /** Greedy (lazy) only, without the swap search: the baseline the tests and benchmark compare with. */
    public static Plan greedy(Demand demand, double[] cx, double[] cy, double radius, int sites) {
        return solve(demand, CoverageSets.build(demand, cx, cy, radius), sites, false);
    }

    static Plan solve(Demand demand, CoverageSets sets, int sites, boolean swap) {
        int candidates = sets.points.length;
        double[] w = demand.weight();
        boolean[] covered = new boolean[demand.size()];
        int[] chosen = new int[sites];
        double[] total = {0};
        LazyGreedy.run(candidates, sites, c -> gain(sets.points[c], w, covered), (round, c, gain) -> {
            chosen[round] = c;
            total[0] += gain;
            for (int p : sets.points[c]) {
                covered[p] = true;
            }
        });
        double greedyTotal = total[0];
        int swaps = swap ? SwapSearch.improve(sets, w, chosen) : 0;
        return ordered(sets, w, chosen, greedyTotal, swaps);
    }

    private static double gain(int[] set, double[] w, boolean[] covered) {
        double g = 0;
        for (int p : set) {
            if (!covered[p]) {
                g += w[p];
            }
        }
        return g;
    }

    /** The chosen sites ordered greedily among themselves, with their marginal demand: the coverage curve. */
    private static Plan ordered(CoverageSets sets, double[] w, int[] chosen, double greedyTotal, int swaps) {
        boolean[] covered = new boolean[w.length];
        boolean[] used = new boolean[chosen.length];
        int[] order = new int[chosen.length];
        double[] marginal = new double[chosen.length];
        double total = 0;
        for (int k = 0; k < chosen.length; k++) {
            int best = -1;
            double bestGain = -1;
            for (int s = 0; s < chosen.length; s++) {
                if (!used[s]) {
                    double g = gain(sets.points[chosen[s]], w, covered);
                    if (g > bestGain) {
                        bestGain = g;
                        best = s;
                    }
                }
            }
            used[best] = true;
            order[k] = chosen[best];
            marginal[k] = bestGain;
            total += bestGain;
            for (int p : sets.points[chosen[best]]) {
                covered[p] = true;
            }
        }
        return new Plan(order, marginal, greedyTotal, total, swaps);
    }
}
