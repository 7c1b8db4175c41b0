package ca.cmp.hub.geo.expansion;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * For each candidate site, the demand points within {@code radius} metres of it (planar distance, same CRS as the
 * demand), found through a uniform grid of radius-sized buckets. Built in parallel; immutable afterwards.
 */
final class CoverageSets {

    final int[][] points;

    private CoverageSets(int[][] points) {
        this.points = points;
    }

    static CoverageSets build(Demand demand, double[] cx, double[] cy, double radius) {
        if (!(radius > 0)) {
            throw new IllegalArgumentException("radius must be positive, got " + radius);
        }
        Map<Long, int[]> buckets = buckets(demand, radius);
        int[][] sets = new int[cx.length][];
        double r2 = radius * radius;
        IntStream.range(0, cx.length).parallel().forEach(c -> {
            long bx = (long) Math.floor(cx[c] / radius);
            long by = (long) Math.floor(cy[c] / radius);
            int[] found = new int[16];
            int n = 0;
            for (long i = bx - 1; i <= bx + 1; i++) {
                for (long j = by - 1; j <= by + 1; j++) {
                    int[] bucket = buckets.get(key(i, j));
                    if (bucket == null) {
                        continue;
                    }
                    for (int p : bucket) {
                        double dx = demand.x()[p] - cx[c];
                        double dy = demand.y()[p] - cy[c];
                        if (dx * dx + dy * dy <= r2) {
                            if (n == found.length) {
                                found = Arrays.copyOf(found, n * 2);
                            }
                            found[n++] = p;
                        }
                    }
                }
            }
            sets[c] = Arrays.copyOf(found, n);
        });
        return new CoverageSets(sets);
    }

    private static Map<Long, int[]> buckets(Demand demand, double size) {
        Map<Long, int[]> counts = new HashMap<>();
        Map<Long, Integer> sizes = new HashMap<>();
        for (int p = 0; p < demand.size(); p++) {
            sizes.merge(key((long) Math.floor(demand.x()[p] / size), (long) Math.floor(demand.y()[p] / size)), 1,
                    Integer::sum);
        }
        Map<Long, Integer> fill = new HashMap<>();
        for (Map.Entry<Long, Integer> e : sizes.entrySet()) {
            counts.put(e.getKey(), new int[e.getValue()]);
            fill.put(e.getKey(), 0);
        }
        for (int p = 0; p < demand.size(); p++) {
            long k = key((long) Math.floor(demand.x()[p] / size), (long) Math.floor(demand.y()[p] / size));
            int at = fill.merge(k, 1, Integer::sum) - 1;
            counts.get(k)[at] = p;
        }
        return counts;
    }

    private static long key(long i, long j) {
        // Exact for bucket indexes within ±2^31 (any CRS in metres): no two buckets share a key.
        return (i << 32) ^ (j & 0xffffffffL);
    }
}
