package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * The access index of {@link TwoStepFloatingCatchment} kept for one set of units and moved by what-if changes
 * and writes. Both steps are sums over programs: a unit's places per young person is
 * {@code Σ_j R_j · youth_k(ages j serves) / youth_k}, and {@code R_j} depends only on the youth inside program
 * {@code j}'s own catchment. So a program added, moved, closed or given other places changes only its own
 * {@code R_j} and the units of its old and new catchment, which get its old contribution taken out and its new one
 * added; every other unit keeps its sum. Results equal a full {@link TwoStepFloatingCatchment#compute} up to
 * floating-point rounding (sums taken in another order).
 *
 * <p>Units' youth sit at their interior points, as in the full computation. {@link #checkpoint()} and
 * {@link #rollback()} bracket a trial as in {@link IncrementalCoverage}. Not thread-safe.
 */
public final class IncrementalAccess {

    private final List<CensusUnit> units;
    private final Point[] points;
    private final STRtree pointIndex = new STRtree();
    private final int from;
    private final int to;
    private final double[] sum;
    private final double[] youth;
    private final double youthTotal;
    private double weighted;
    private final Map<String, Program> programs = new HashMap<>();
    private Journal journal;

    /** A program with its catchment (unit indexes) and its places per young person {@code R_j} (0: none). */
    private record Program(ServiceReach reach, int[] catchment, double ratio) {
    }

    /** The sums a trial changed as they were at its checkpoint: unit indexes noted, values in {@link #saved}. */
    private record Journal(double weighted, java.util.BitSet sums, Map<String, Optional<Program>> programs) {
    }

    /** The checkpoint's sums of the units a trial's journal notes (one array, reused by every trial). */
    private double[] saved;

    private IncrementalAccess(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        this.units = units;
        this.from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        this.to = Math.min(toAge, CensusUnit.LAST_AGE);
        this.points = units.parallelStream().map(u -> u.geometry().getInteriorPoint()).toArray(Point[]::new);
        for (int i = 0; i < points.length; i++) {
            pointIndex.insert(points[i].getEnvelopeInternal(), i);
        }
        pointIndex.build();
        this.sum = new double[units.size()];
        this.youth = new double[units.size()];
        double total = 0;
        for (int k = 0; k < units.size(); k++) {
            youth[k] = units.get(k).youth(from, to);
            total += youth[k];
        }
        this.youthTotal = total;
        List<Program> built = reaches.parallelStream().map(this::program).toList();
        for (Program p : built) {
            add(p);
        }
    }

    /**
     * The access index of {@code reaches} over {@code units} (a full evaluation).
     *
     * @param units   census units, planar metres, distinct ids
     * @param reaches service areas in the same CRS, distinct ids
     */
    public static IncrementalAccess of(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        return new IncrementalAccess(units, reaches, fromAge, toAge);
    }

    /** Adds a program, or moves/changes the one with the same id. Returns the indexes of the units it changed. */
    public List<Integer> put(ServiceReach reach) {
        List<Integer> changed = new ArrayList<>(takeOut(reach.id()));
        Program p = program(reach);
        add(p);
        for (int k : p.catchment()) {
            changed.add(k);
        }
        return changed;
    }

    /** Removes (closes) a program. Returns the indexes of the units it changed. */
    public List<Integer> remove(String reachId) {
        return takeOut(reachId);
    }

    public void checkpoint() {
        if (journal != null) {
            throw new IllegalStateException("a trial is already open");
        }
        if (saved == null) {
            saved = new double[units.size()];
        }
        journal = new Journal(weighted, new java.util.BitSet(units.size()), new HashMap<>());
    }

    /** Ends the trial: sums, total and programs exactly as at {@link #checkpoint()}. */
    public void rollback() {
        Journal j = journal;
        if (j == null) {
            throw new IllegalStateException("no trial is open");
        }
        journal = null;
        j.sums().stream().forEach(k -> sum[k] = saved[k]);
        j.programs().forEach((id, was) -> {
            if (was.isPresent()) {
                programs.put(id, was.get());
            } else {
                programs.remove(id);
            }
        });
        weighted = j.weighted();
    }

    /** Places per 1,000 youth of the unit at {@code index} (in the units' order). */
    public double placesPer1000(int index) {
        return youth[index] > 0 ? sum[index] / youth[index] * 1000 : 0;
    }

    /** The youth-weighted mean over all units, per 1,000 youth. */
    public double placesPer1000() {
        return youthTotal == 0 ? 0 : weighted / youthTotal * 1000;
    }

    public TwoStepFloatingCatchment.Result result() {
        List<TwoStepFloatingCatchment.Access> areas = new ArrayList<>(units.size());
        for (int k = 0; k < units.size(); k++) {
            areas.add(new TwoStepFloatingCatchment.Access(units.get(k).id(), youth[k], placesPer1000(k)));
        }
        return new TwoStepFloatingCatchment.Result(areas, placesPer1000());
    }

    private Program program(ServiceReach r) {
        if (r.maxAge() < from || r.minAge() > to) {
            return new Program(r, new int[0], 0);
        }
        // The disc bounds settle almost every point of a circle by two distance comparisons; only the points in
        // the thin ring between them need the exact test.
        DiscBounds bounds = DiscBounds.of(r.area());
        double inner2 = bounds.inner() * bounds.inner();
        double outer2 = bounds.outer() * bounds.outer();
        PreparedGeometry prepared = null;
        Envelope e = r.area().getEnvelopeInternal();
        List<Object> candidates = pointIndex.query(e);
        int[] in = new int[candidates.size()];
        int n = 0;
        for (Object o : candidates) {
            int k = (Integer) o;
            double dx = points[k].getX() - bounds.x();
            double dy = points[k].getY() - bounds.y();
            double d2 = dx * dx + dy * dy;
            boolean covers;
            if (d2 < inner2) {
                covers = true;
            } else if (d2 > outer2) {
                covers = false;
            } else {
                if (prepared == null) {
                    prepared = PreparedGeometryFactory.prepare(r.area());
                }
                covers = prepared.covers(points[k]);
            }
            if (covers) {
                in[n++] = k;
            }
        }
        int[] catchment = Arrays.copyOf(in, n);
        Arrays.sort(catchment);
        double demand = r.waitlist();
        for (int k : catchment) {
            demand += served(k, r);
        }
        double ratio = r.places() > 0 && demand > 0 ? r.places() / demand : 0;
        return new Program(r, catchment, ratio);
    }

    /** Youth of unit {@code k} of the ages both the window and the program take. */
    private double served(int k, ServiceReach r) {
        return units.get(k).youth(Math.max(from, r.minAge()), Math.min(to, r.maxAge()));
    }

    private void add(Program p) {
        notePrograms(p.reach().id());
        programs.put(p.reach().id(), p);
        contribute(p, 1);
    }

    private List<Integer> takeOut(String id) {
        notePrograms(id);
        Program p = programs.remove(id);
        if (p == null) {
            return List.of();
        }
        contribute(p, -1);
        List<Integer> changed = new ArrayList<>(p.catchment().length);
        for (int k : p.catchment()) {
            changed.add(k);
        }
        return changed;
    }

    private void contribute(Program p, int sign) {
        if (p.ratio() == 0) {
            return;
        }
        for (int k : p.catchment()) {
            if (youth[k] <= 0) {
                continue;
            }
            double c = sign * p.ratio() * served(k, p.reach());
            if (journal != null) {
                if (!journal.sums().get(k)) {
                    journal.sums().set(k);
                    saved[k] = sum[k];
                }
            }
            sum[k] += c;
            weighted += c;
        }
    }

    private void notePrograms(String id) {
        if (journal != null) {
            journal.programs().putIfAbsent(id, Optional.ofNullable(programs.get(id)));
        }
    }
}
