package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import ca.cmp.hub.geo.synthetic.SyntheticCanada;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A what-if trial alone, without a database or a hub (a developer's loop; bench/scenario.sh measures end to end):
 * the SYNTHETIC Canada of 400 m cells and 5,000 programs of 5–20 km, kept as {@link IncrementalCoverage},
 * {@link IncrementalAccess} and {@link IncrementalGaps}; then one-program trials (a program moved a few km, or one
 * added) as the hub's kept analysis runs them, timed phase by phase (median and p90 of 40 after 10); then moves of
 * 1% of the programs, as after a sync, against a full computation.
 *
 * <p>usage: IncrementalTrialBench [programs]
 */
public final class IncrementalTrialBench {

    private IncrementalTrialBench() {
    }

    public static void main(String[] args) {
        int programs = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Random rnd = new Random(2026);
        List<CensusUnit> units = SyntheticCanada.cells(rnd);
        GeometryFactory f = new GeometryFactory();
        int quad = CircleVertices.quadrantSegments(1e-4);
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            Envelope e = units.get(rnd.nextInt(units.size())).geometry().getEnvelopeInternal();
            double r = 5_000 + rnd.nextInt(16) * 1_000;
            reaches.add(new ServiceReach("p" + i, f.createPoint(new Coordinate(e.centre().x, e.centre().y))
                    .buffer(r, quad), 6, 18, 10 + rnd.nextInt(40), rnd.nextInt(10)));
        }
        long t0 = System.nanoTime();
        IncrementalCoverage coverage = IncrementalCoverage.of(units, reaches, 6, 18);
        long t1 = System.nanoTime();
        IncrementalAccess access = IncrementalAccess.of(units, reaches, 6, 18);
        long t2 = System.nanoTime();
        IncrementalGaps gaps = IncrementalGaps.of(coverage, 100);
        long t3 = System.nanoTime();
        System.out.printf("SYNTHETIC Canada: %,d cells, %,d programs; kept: coverage %d ms, access %d ms, gaps %d ms "
                + "(%d gaps)%n", units.size(), programs, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000, gaps.gaps().size());
        int n = 50;
        long[][] phases = new long[4][n];
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            ServiceReach s = reaches.get(rnd.nextInt(reaches.size()));
            Coordinate c = s.area().getCentroid().getCoordinate();
            double dx = (rnd.nextDouble() - 0.5) * 6_000;
            double dy = (rnd.nextDouble() - 0.5) * 6_000;
            boolean move = i % 2 == 0;
            double radius = move ? Math.sqrt(s.area().getArea() / Math.PI) : 10_000;
            ServiceReach changed = new ServiceReach(move ? s.id() : "added", f.createPoint(new Coordinate(c.x + dx,
                    c.y + dy)).buffer(radius, quad), 6, 18, move ? s.places() : 40, move ? s.waitlist() : 0);
            long a = System.nanoTime();
            List<GapAreas.Gap> today = gaps.gaps();
            coverage.checkpoint();
            access.checkpoint();
            Set<String> covered = new HashSet<>(coverage.put(changed));
            List<Integer> accessChanged = access.put(changed);
            long b = System.nanoTime();
            List<GapAreas.Gap> then = gaps.with(covered);
            long d = System.nanoTime();
            coverage.rollback();
            access.rollback();
            long e = System.nanoTime();
            phases[0][i] = b - a;
            phases[1][i] = d - b;
            phases[2][i] = e - d;
            phases[3][i] = e - a;
            sizes[i] = covered.size() + accessChanged.size() + today.size() - then.size();
        }
        String[] names = {"coverage and access", "gaps", "rollback", "trial"};
        for (int p = 0; p < names.length; p++) {
            long[] ms = Arrays.copyOfRange(phases[p], 10, n);
            Arrays.sort(ms);
            System.out.printf("%s: p50 %.1f ms, p90 %.1f ms, max %.1f ms%n", names[p], ms[ms.length / 2] / 1e6,
                    ms[(int) Math.ceil(ms.length * 0.9) - 1] / 1e6, ms[ms.length - 1] / 1e6);
        }
        // Writes: 1% of the programs moved ~2 km, the state moved by the difference, against a full computation.
        int changedCount = programs / 100;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long[] moves = new long[writes];
        long[] fulls = new long[writes];
        for (int w = 0; w < moves.length; w++) {
            double dx = (rnd.nextDouble() - 0.5) * 4_000;
            double dy = (rnd.nextDouble() - 0.5) * 4_000;
            List<ServiceReach> moved = new ArrayList<>();
            for (int k = 0; k < changedCount; k++) {
                int j = rnd.nextInt(reaches.size());
                ServiceReach s = reaches.get(j);
                Coordinate c = s.area().getCentroid().getCoordinate();
                ServiceReach m = new ServiceReach(s.id(), f.createPoint(new Coordinate(c.x + dx, c.y + dy))
                        .buffer(Math.sqrt(s.area().getArea() / Math.PI), quad), 6, 18, s.places(), s.waitlist());
                reaches.set(j, m);
                moved.add(m);
            }
            long a = System.nanoTime();
            Set<String> changed = new HashSet<>(coverage.apply(moved, List.of()));
            for (ServiceReach m : moved) {
                access.put(m);
            }
            ArealCoverage.Result result = coverage.result();
            moves[w] = System.nanoTime() - a;
            gaps.advance(changed);
            if (w >= 5) {
                continue; // profiling the moves
            }
            long b = System.nanoTime();
            ArealCoverage.Result full = ArealCoverage.compute(units, reaches, 6, 18);
            fulls[w] = System.nanoTime() - b;
            System.out.printf("write %d: moved %.1f ms (%d units changed), full %.1f ms, covered differs by %.2e%n",
                    w, moves[w] / 1e6, changed.size(), fulls[w] / 1e6, Math.abs(result.covered() - full.covered()));
        }
    }
}
