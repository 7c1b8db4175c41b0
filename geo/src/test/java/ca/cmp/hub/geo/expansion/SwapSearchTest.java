package ca.cmp.hub.geo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SwapSearchTest {

    static LongStream seeds() {
        return LongStream.range(1, 41);
    }

    record Instance(Demand demand, CoverageSets sets, int[] start) {
    }

    /**
     * Clustered demand with fractional weights, candidates partly on top of each other (duplicates, so ties
     * occur), and a random or greedy-looking start of distinct candidates.
     */
    static Instance instance(long seed) {
        Random rnd = new Random(seed);
        List<double[]> pts = new ArrayList<>();
        int clusters = 2 + rnd.nextInt(6);
        for (int k = 0; k < clusters; k++) {
            double ox = rnd.nextDouble() * 20_000;
            double oy = rnd.nextDouble() * 20_000;
            int n = 10 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                double w = seed % 3 == 0 ? 1 + rnd.nextInt(5) : rnd.nextDouble() * 40;
                pts.add(new double[] {ox + rnd.nextGaussian() * 900, oy + rnd.nextGaussian() * 900, w});
            }
        }
        Demand demand = MaximalCoveringLocationTest.points(pts.toArray(double[][]::new));
        int candidates = 20 + rnd.nextInt(120);
        double[] cx = new double[candidates];
        double[] cy = new double[candidates];
        for (int c = 0; c < candidates; c++) {
            if (c > 0 && rnd.nextInt(8) == 0) {
                cx[c] = cx[c - 1];
                cy[c] = cy[c - 1];
            } else {
                double[] near = pts.get(rnd.nextInt(pts.size()));
                cx[c] = near[0] + rnd.nextGaussian() * 1_000;
                cy[c] = near[1] + rnd.nextGaussian() * 1_000;
            }
        }
        double radius = new double[] {600, 1_500, 3_000, 6_000}[rnd.nextInt(4)];
        CoverageSets sets = CoverageSets.build(demand, cx, cy, radius);
        int sites = 1 + rnd.nextInt(Math.min(15, candidates - 1));
        int[] order = rnd.ints(0, candidates).distinct().limit(sites).toArray();
        return new Instance(demand, sets, order);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void keptTablesMakeTheSameSwapsAsRecomputingEveryPass(long seed) {
        Instance in = instance(seed);
        int[] kept = in.start().clone();
        int[] recomputed = in.start().clone();
        int keptSwaps = SwapSearch.improve(in.sets(), in.demand().weight(), kept, true);
        int recomputedSwaps = SwapSearch.improve(in.sets(), in.demand().weight(), recomputed, false);
        assertThat(kept).as("seed %d", seed).containsExactly(recomputed);
        assertThat(keptSwaps).isEqualTo(recomputedSwaps);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void endsWhereNoSingleExchangeGainsAndNeverLosesDemand(long seed) {
        Instance in = instance(seed);
        double[] w = in.demand().weight();
        int[] chosen = in.start().clone();
        double before = covered(in.sets(), w, chosen);
        int swaps = SwapSearch.improve(in.sets(), w, chosen, true);
        double after = covered(in.sets(), w, chosen);
        assertThat(Arrays.stream(chosen).distinct().count()).isEqualTo(chosen.length);
        assertThat(after).isGreaterThanOrEqualTo(before - 1e-9);
        if (swaps > 0 && swaps < SwapSearch.MAX_PASSES) {
            assertThat(after).isGreaterThan(before);
        }
        if (swaps < SwapSearch.MAX_PASSES) {
            double total = Arrays.stream(w).sum();
            // Every exchange tried by brute force: none covers more (beyond the search's 1e-12 of the total).
            for (int s = 0; s < chosen.length; s++) {
                for (int c = 0; c < in.sets().points.length; c++) {
                    int cc = c;
                    if (Arrays.stream(chosen).anyMatch(x -> x == cc)) {
                        continue;
                    }
                    int[] other = chosen.clone();
                    other[s] = c;
                    assertThat(covered(in.sets(), w, other)).as("seed %d: slot %d for candidate %d", seed, s, c)
                            .isLessThanOrEqualTo(after + 1e-11 * total + 1e-9);
                }
            }
        }
    }

    static double covered(CoverageSets sets, double[] w, int[] chosen) {
        boolean[] seen = new boolean[w.length];
        double total = 0;
        for (int c : chosen) {
            for (int p : sets.points[c]) {
                if (!seen[p]) {
                    seen[p] = true;
                    total += w[p];
                }
            }
        }
        return total;
    }
}
