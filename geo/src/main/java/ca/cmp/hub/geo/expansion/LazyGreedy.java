package ca.cmp.hub.geo.expansion;

import java.util.PriorityQueue;

/**
 * Greedy selection with lazy evaluation (Minoux; "CELF"): valid when a candidate's gain can only fall as others
 * are chosen (submodular objectives), so a gain computed in an earlier round is an upper bound and only the top
 * of the queue needs re-evaluating. Ties go to the lower candidate index, so results are deterministic.
 */
final class LazyGreedy {

    interface Gain {
        /** The gain of {@code candidate} given everything chosen so far. */
        double of(int candidate);
    }

    interface Choice {
        void chosen(int round, int candidate, double gain);
    }

    private LazyGreedy() {
    }

    static void run(int candidates, int rounds, Gain gain, Choice choice) {
        if (rounds < 0 || rounds > candidates) {
            throw new IllegalArgumentException("cannot choose " + rounds + " of " + candidates + " candidates");
        }
        // Max-heap of {gain, candidate, round evaluated}.
        PriorityQueue<double[]> queue = new PriorityQueue<>(Math.max(1, candidates),
                (a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int c = 0; c < candidates; c++) {
            queue.add(new double[] {gain.of(c), c, 0});
        }
        for (int round = 0; round < rounds; round++) {
            while (true) {
                double[] top = queue.poll();
                int c = (int) top[1];
                if ((int) top[2] == round) {
                    choice.chosen(round, c, top[0]);
                    break;
                }
                queue.add(new double[] {gain.of(c), c, round});
            }
        }
    }
}
