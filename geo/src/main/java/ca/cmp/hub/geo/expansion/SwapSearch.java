package ca.cmp.hub.geo.expansion;

import java.util.Arrays;

/**
 * Best-improvement 1-swap local search for the maximal covering location problem: while some exchange of a
 * chosen site for an unchosen candidate covers more demand, apply the one that gains most.
 *
 * <p>Exchanging chosen slot {@code s} for candidate {@code c} gains {@code fresh(c) + single(c, s) − loss(s)}:
 * the demand only {@code c} would cover, the demand only {@code s} covers that {@code c} keeps, and the demand
 * only {@code s} covers. Rather than recomputing these over every candidate's set each pass, the tables are kept
 * up to date: a swap changes the cover count of just the points of the two sites involved, and each such point
 * adjusts the entries of the candidates that reach it (a point → candidates index). A pass is then one scan of the
 * {@code candidates × sites} table. At national scale (10,000 candidates, 100 sites, 56 swaps) that replaced
 * about a second of rescanning with a few tens of milliseconds.
 *
 * <p>Weights are summed as integers (fixed point, 2<sup>−50</sup> of the total demand per unit), so the kept
 * tables equal a fresh computation exactly and no drift can make a swap look like a gain; a swap must gain more
 * than 10<sup>−12</sup> of the total. Where the table would exceed {@link #MAX_TABLE} entries the passes
 * recompute instead, with the same arithmetic and the same choices. Ties go to the lower candidate, then the lower
 * slot. {@code chosen} must hold distinct candidates.
 */
final class SwapSearch {

    static final int MAX_PASSES = 100;

    /** Candidate × site entries kept at most (8 bytes each): 32 MB. */
    static final long MAX_TABLE = 4_000_000;

    private SwapSearch() {
    }

    /** Improves {@code chosen} in place; returns the number of swaps made. */
    static int improve(CoverageSets sets, double[] w, int[] chosen) {
        return improve(sets, w, chosen, (long) sets.points.length * chosen.length <= MAX_TABLE);
    }

    static int improve(CoverageSets sets, double[] w, int[] chosen, boolean keepTables) {
        if (chosen.length == 0) {
            return 0;
        }
        long[] q = quantised(w);
        long minGain = Math.max(1, (long) Math.ceil(1e-12 * (1L << 50)));
        return keepTables ? new Tables(sets, q, chosen).run(minGain) : recomputing(sets, q, chosen, minGain);
    }

    private static long[] quantised(double[] w) {
        double total = 0;
        for (double x : w) {
            total += x;
        }
        long[] q = new long[w.length];
        if (total > 0) {
            double scale = (1L << 50) / total;
            for (int p = 0; p < w.length; p++) {
                q[p] = Math.round(w[p] * scale);
            }
        }
        return q;
    }

    /** The kept tables: per point its cover count and sole owner, per candidate and slot the exchange terms. */
    private static final class Tables {

        private final int[][] sets;
        private final long[] q;
        private final int[] chosen;
        private final int n;
        private final int[] start;
        private final int[] reach;
        private final int[] slot;
        private final int[] count;
        private final int[] owner;
        private final long[] fresh;
        private final long[] single;
        private final long[] loss;

        Tables(CoverageSets coverage, long[] q, int[] chosen) {
            this.sets = coverage.points;
            this.q = q;
            this.chosen = chosen;
            this.n = chosen.length;
            int points = q.length;
            int m = sets.length;
            start = new int[points + 1];
            for (int[] set : sets) {
                for (int p : set) {
                    start[p + 1]++;
                }
            }
            for (int p = 0; p < points; p++) {
                start[p + 1] += start[p];
            }
            reach = new int[start[points]];
            int[] fill = Arrays.copyOf(start, points);
            for (int c = 0; c < m; c++) {
                for (int p : sets[c]) {
                    reach[fill[p]++] = c;
                }
            }
            slot = new int[m];
            Arrays.fill(slot, -1);
            count = new int[points];
            owner = new int[points];
            fresh = new long[m];
            single = new long[m * n];
            loss = new long[n];
            for (int s = 0; s < n; s++) {
                slot[chosen[s]] = s;
                for (int p : sets[chosen[s]]) {
                    if (count[p]++ == 0) {
                        owner[p] = s;
                    }
                }
            }
            for (int p = 0; p < points; p++) {
                if (count[p] == 0) {
                    for (int k = start[p]; k < start[p + 1]; k++) {
                        fresh[reach[k]] += q[p];
                    }
                } else if (count[p] == 1) {
                    addSingle(p, owner[p], q[p]);
                }
            }
        }

        int run(long minGain) {
            int swaps = 0;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                long bestDelta = minGain;
                int bestIn = -1;
                int bestOut = -1;
                for (int c = 0; c < sets.length; c++) {
                    if (slot[c] >= 0) {
                        continue;
                    }
                    long base = fresh[c];
                    int row = c * n;
                    for (int s = 0; s < n; s++) {
                        long delta = base + single[row + s] - loss[s];
                        if (delta > bestDelta) {
                            bestDelta = delta;
                            bestIn = c;
                            bestOut = s;
                        }
                    }
                }
                if (bestIn < 0) {
                    break;
                }
                remove(bestOut);
                add(bestIn, bestOut);
                swaps++;
            }
            return swaps;
        }

        private void remove(int s) {
            int out = chosen[s];
            slot[out] = -1;
            for (int p : sets[out]) {
                int left = --count[p];
                if (left == 0) {
                    addSingle(p, s, -q[p]);
                    for (int k = start[p]; k < start[p + 1]; k++) {
                        fresh[reach[k]] += q[p];
                    }
                } else if (left == 1) {
                    // The one chosen site still covering p now covers it alone.
                    int t = -1;
                    for (int k = start[p]; k < start[p + 1] && t < 0; k++) {
                        t = slot[reach[k]];
                    }
                    owner[p] = t;
                    addSingle(p, t, q[p]);
                }
            }
        }

        private void add(int in, int s) {
            chosen[s] = in;
            slot[in] = s;
            for (int p : sets[in]) {
                int before = count[p]++;
                if (before == 0) {
                    owner[p] = s;
                    addSingle(p, s, q[p]);
                    for (int k = start[p]; k < start[p + 1]; k++) {
                        fresh[reach[k]] -= q[p];
                    }
                } else if (before == 1) {
                    addSingle(p, owner[p], -q[p]);
                }
            }
        }

        /** Point {@code p}, covered by slot {@code s} alone, enters ({@code v > 0}) or leaves the terms. */
        private void addSingle(int p, int s, long v) {
            loss[s] += v;
            for (int k = start[p]; k < start[p + 1]; k++) {
                single[reach[k] * n + s] += v;
            }
        }
    }

    /** The same passes, every term recomputed from the sets: for tables too large to keep. */
    private static int recomputing(CoverageSets coverage, long[] q, int[] chosen, long minGain) {
        int[][] sets = coverage.points;
        int n = chosen.length;
        int[] count = new int[q.length];
        int[] owner = new int[q.length];
        long[] loss = new long[n];
        long[] bucket = new long[n];
        boolean[] isChosen = new boolean[sets.length];
        int swaps = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Arrays.fill(count, 0);
            Arrays.fill(isChosen, false);
            Arrays.fill(loss, 0);
            for (int s = 0; s < n; s++) {
                isChosen[chosen[s]] = true;
                for (int p : sets[chosen[s]]) {
                    if (count[p]++ == 0) {
                        owner[p] = s;
                    }
                }
            }
            for (int p = 0; p < q.length; p++) {
                if (count[p] == 1) {
                    loss[owner[p]] += q[p];
                }
            }
            long bestDelta = minGain;
            int bestIn = -1;
            int bestOut = -1;
            for (int c = 0; c < sets.length; c++) {
                if (isChosen[c]) {
                    continue;
                }
                long fresh = 0;
                for (int p : sets[c]) {
                    if (count[p] == 0) {
                        fresh += q[p];
                    } else if (count[p] == 1) {
                        bucket[owner[p]] += q[p];
                    }
                }
                for (int s = 0; s < n; s++) {
                    long delta = fresh + bucket[s] - loss[s];
                    if (delta > bestDelta) {
                        bestDelta = delta;
                        bestIn = c;
                        bestOut = s;
                    }
                    bucket[s] = 0;
                }
            }
            if (bestIn < 0) {
                break;
            }
            chosen[bestOut] = bestIn;
            swaps++;
        }
        return swaps;
    }
}
