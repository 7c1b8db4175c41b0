package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.locationtech.jts.geom.Envelope;

/**
 * Covered youth per census unit by eligibility-aware areal weighting.
 *
 * <p>A young person of age {@code a} living in unit {@code u} is covered when they live inside the service area
 * of at least one program serving age {@code a}. Youth are assumed spread evenly over their unit (areal
 * weighting), so
 * <pre>  covered(u) = Σ_a youth(u, a) · area(u ∩ ⋃{reach r : r serves a}) / area(u)</pre>
 * for ages {@code a} of the requested window. Overlapping service areas count once (it is a union). Dasymetric
 * refinement (weighting by residential land instead of all land) would replace the area ratio by a ratio of
 * weights; the per-unit structure here stays the same.
 *
 * <p>Cost: a small unit reads from one {@link ReachGrid} bucket how many reaches contain it and which ages they
 * cover, and tests only the reaches crossing its bucket ({@link DiscBounds} first, exact predicates where those
 * cannot tell); along the edge of coverage its covered area comes from {@link ConvexClipArea} arithmetic, or from
 * overlay and union per distinct set of eligible reaches when a reach is not convex or too many cross it. A unit
 * too large for that grid is summed bucket by bucket ({@link BucketedUnitCoverage}), unless a reach too large
 * for the bucket grid meets it, when it goes through the {@link ReachIndex} with exact predicates. Units are
 * evaluated on all cores, the large ones first; the figures are those of the definition above in every case.
 */
public final class ArealCoverage {

    private ArealCoverage() {
    }

    /** Per-unit figures, in the units' order, and their totals. */
    public record Result(List<AreaFigures> areas, double youth, double covered) {

        public double uncovered() {
            return Math.max(0, youth - covered);
        }

        public double ratio() {
            return youth == 0 ? 0 : covered / youth;
        }

        static Result of(List<AreaFigures> areas) {
            double youth = 0;
            double covered = 0;
            for (AreaFigures f : areas) {
                youth += f.youth();
                covered += f.covered();
            }
            return new Result(areas, youth, covered);
        }
    }

    /**
     * @param units   census units, planar metres, non-overlapping
     * @param reaches service areas in the same CRS
     * @param fromAge youngest age counted (clamped to 6)
     * @param toAge   oldest age counted (clamped to 18)
     */
    public static Result compute(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        ReachIndex index = new ReachIndex(reaches);
        List<IndexedReach> serving = index.serving(from, to);
        ReachGrid grid = ReachGrid.build(units, serving, from, to);
        List<int[]> tasks = tasks(units, grid);
        // Built only if some unit is too large for the small-unit grid (tasks list those first), and before the
        // workers start: built on all cores rather than by one worker while the other waits for it.
        ReachGrid large = tasks.isEmpty() || grid.fits(units.get(tasks.get(0)[0])) ? null
                : ReachGrid.overReaches(serving, from, to);
        AreaFigures[] figures = new AreaFigures[units.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int t = next.getAndIncrement(); t < tasks.size(); t = next.getAndIncrement()) {
                for (int i : tasks.get(t)) {
                    figures[i] = evaluate(units.get(i), grid, large, index, from, to);
                }
            }
        };
        // Helpers on the common pool; one the pool has not started when this thread is done is claimed back and
        // never waited for (so a caller running inside the pool cannot wait on work queued behind itself).
        int helperCount = Runtime.getRuntime().availableProcessors() - 1;
        AtomicBoolean[] started = new AtomicBoolean[helperCount];
        List<CompletableFuture<Void>> helpers = new ArrayList<>(helperCount);
        for (int w = 0; w < helperCount; w++) {
            AtomicBoolean claim = started[w] = new AtomicBoolean();
            helpers.add(CompletableFuture.runAsync(() -> {
                if (claim.compareAndSet(false, true)) {
                    worker.run();
                }
            }));
        }
        worker.run();
        for (int w = 0; w < helperCount; w++) {
            if (!started[w].compareAndSet(false, true)) {
                helpers.get(w).join();
            }
        }
        return Result.of(Arrays.asList(figures));
    }

    /**
     * The units' indexes in the order workers take them: every unit too large for the grid alone, most vertices
     * first, then the small ones in runs of {@value #RUN}. Why: a few census divisions (a territory, a metropolis)
     * cost as much as a hundred others; taken last, one core would finish them while the other idles (longest
     * first keeps the cores within about one unit of each other).
     */
    private static List<int[]> tasks(List<CensusUnit> units, ReachGrid grid) {
        List<Integer> large = new ArrayList<>();
        int[] small = new int[units.size()];
        int smallCount = 0;
        for (int i = 0; i < units.size(); i++) {
            if (grid.fits(units.get(i))) {
                small[smallCount++] = i;
            } else {
                large.add(i);
            }
        }
        large.sort((a, b) -> Integer.compare(units.get(b).geometry().getNumPoints(),
                units.get(a).geometry().getNumPoints()));
        List<int[]> tasks = new ArrayList<>(large.size() + smallCount / RUN + 1);
        large.forEach(i -> tasks.add(new int[] {i}));
        for (int start = 0; start < smallCount; start += RUN) {
            tasks.add(Arrays.copyOfRange(small, start, Math.min(smallCount, start + RUN)));
        }
        return tasks;
    }

    private static final int RUN = 512;

    private static AreaFigures evaluate(CensusUnit u, ReachGrid grid, ReachGrid buckets, ReachIndex index,
            int from, int to) {
        Meeting m = grid.meeting(u);
        if (m != null) {
            return evaluate(u, m, from, to);
        }
        Envelope e = u.geometry().getEnvelopeInternal();
        for (IndexedReach off : buckets.offGrid()) {
            if (off.reach().area().getEnvelopeInternal().intersects(e) && off.meets(u.geometry(), e)) {
                return evaluate(u, index.meeting(u.geometry(), from, to), from, to);
            }
        }
        return BucketedUnitCoverage.evaluate(u, buckets, index, from, to);
    }

    /** What the unit meets: from the grid when it is small enough, else from the index. */
    static Meeting meeting(CensusUnit unit, ReachGrid grid, ReachIndex index, int from, int to) {
        Meeting m = grid.meeting(unit);
        return m != null ? m : index.meeting(unit.geometry(), from, to);
    }

    static AreaFigures evaluate(CensusUnit unit, ReachIndex index, int fromAge, int toAge) {
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        return evaluate(unit, index.meeting(unit.geometry(), from, to), from, to);
    }

    /** {@code from..to} already clamped to 6..18. */
    static AreaFigures evaluate(CensusUnit unit, Meeting m, int from, int to) {
        double youth = unit.youth(from, to);
        if (m.reaching() == 0) {
            return new AreaFigures(unit.id(), youth, 0, 0, 0);
        }
        int window = CensusUnit.ageBits(from, to);
        if (from <= to && (m.coveredAges() & window) == window) {
            // Every counted age covered whole (most units of a city): the sum below would add each age's youth
            // times 1, in the same order as youth() does, so no clipper is needed.
            return new AreaFigures(unit.id(), youth, youth, 1, m.reaching());
        }
        List<IndexedReach> meeting = m.crossing();
        UnitClipper clipper = new UnitClipper(unit.geometry(), meeting, m.contains());
        Map<BitSet, Double> fractionBySet = new HashMap<>();
        double covered = 0;
        BitSet any = new BitSet();
        for (int age = from; age <= to; age++) {
            double fraction;
            if ((m.coveredAges() & (1 << (age - CensusUnit.FIRST_AGE))) != 0) {
                fraction = 1;
            } else {
                BitSet set = new BitSet(meeting.size());
                for (int i = 0; i < meeting.size(); i++) {
                    if (meeting.get(i).reach().serves(age)) {
                        set.set(i);
                    }
                }
                any.or(set);
                fraction = set.isEmpty() ? 0 : fractionBySet.computeIfAbsent(set, clipper::fraction);
            }
            covered += unit.youthByAge()[age - CensusUnit.FIRST_AGE] * fraction;
        }
        double share;
        if (m.coveredAges() != 0) {
            share = 1;
        } else {
            share = any.isEmpty() ? 0 : fractionBySet.computeIfAbsent(any, clipper::fraction);
        }
        return new AreaFigures(unit.id(), youth, covered, share, m.reaching());
    }
}
