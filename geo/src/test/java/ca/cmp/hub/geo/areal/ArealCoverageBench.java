package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ca.cmp.hub.geo.synthetic.SyntheticCanada;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * The overlay alone, without a database (a developer's loop; bench/coverage-national.sh measures end to end): the
 * SYNTHETIC Canada of 400 m cells and 5,000 programs of 5–20 km at seeded cells, as in the national benchmark
 * (circles of the hub's default 0.01% area tolerance).
 * Times {@link ArealCoverage#compute} (grid and disc bounds) against evaluating every unit through the reach
 * index alone, median of 5 each, and checks that both give the same figures.
 *
 * <p>usage: ArealCoverageBench [programs]
 */
public final class ArealCoverageBench {

    private ArealCoverageBench() {
    }

    public static void main(String[] args) {
        int programs = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Random rnd = new Random(2026);
        List<CensusUnit> units = SyntheticCanada.cells(rnd);
        GeometryFactory f = new GeometryFactory();
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            Envelope e = units.get(rnd.nextInt(units.size())).geometry().getEnvelopeInternal();
            double r = 5_000 + rnd.nextInt(16) * 1_000;
            int min = i % 3 == 0 ? 6 + rnd.nextInt(6) : 6;
            int max = i % 3 == 0 ? Math.min(18, min + 4 + rnd.nextInt(8)) : 18;
            reaches.add(new ServiceReach("p" + i, f.createPoint(new Coordinate(e.centre().x, e.centre().y))
                    .buffer(r, CircleVertices.quadrantSegments(1e-4)), min, max, 20, 0));
        }
        System.out.printf("SYNTHETIC Canada: %,d cells, %,d programs%n", units.size(), programs);
        long[] grid = new long[5];
        long[] index = new long[5];
        ArealCoverage.Result byGrid = null;
        double byIndex = 0;
        int[] reachingByIndex = null;
        for (int run = 0; run < grid.length; run++) {
            long t0 = System.nanoTime();
            byGrid = ArealCoverage.compute(units, reaches, 6, 18);
            grid[run] = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            ReachIndex idx = new ReachIndex(reaches);
            List<AreaFigures> all = units.parallelStream()
                    .map(u -> ArealCoverage.evaluate(u, idx, 6, 18)).toList();
            index[run] = (System.nanoTime() - t1) / 1_000_000;
            byIndex = all.stream().mapToDouble(AreaFigures::covered).sum();
            reachingByIndex = all.stream().mapToInt(AreaFigures::programsReaching).toArray();
        }
        int[] reachingByGrid = byGrid.areas().stream().mapToInt(AreaFigures::programsReaching)
                .toArray();
        Arrays.sort(grid);
        Arrays.sort(index);
        System.out.printf("grid: covered %,.3f, median %d ms %s%n", byGrid.covered(), grid[2], Arrays.toString(grid));
        System.out.printf("index only: covered %,.3f, median %d ms %s%n", byIndex, index[2], Arrays.toString(index));
        System.out.printf("same programs reaching every unit: %s; covered differs by %.2e%n",
                Arrays.equals(reachingByGrid, reachingByIndex), Math.abs(byGrid.covered() - byIndex));
    }
}
