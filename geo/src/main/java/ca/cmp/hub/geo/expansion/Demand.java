package ca.cmp.hub.geo.expansion;

import java.util.List;

/**
 * Unmet demand as weighted points in a planar CRS (metres; the hub uses Statistics Canada Lambert, EPSG:3347):
 * point {@code i} stands for {@code weight[i]} young people not yet within reach of a fitting program, and
 * belongs to census unit {@code unitIds.get(unit[i])}.
 */
public record Demand(double[] x, double[] y, double[] weight, int[] unit, List<String> unitIds) {

    public Demand {
        if (y.length != x.length || weight.length != x.length || unit.length != x.length) {
            throw new IllegalArgumentException("x, y, weight and unit must have one entry per point");
        }
    }

    public int size() {
        return x.length;
    }

    public double total() {
        double sum = 0;
        for (double w : weight) {
            sum += w;
        }
        return sum;
    }
}
