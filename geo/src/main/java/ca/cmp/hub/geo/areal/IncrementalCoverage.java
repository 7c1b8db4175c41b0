package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Coverage that answers what-if changes (a program added, moved, closed) without recomputing everything: only
 * the units whose envelope meets the old or new service area are evaluated again (a large unit only inside the
 * envelopes of the two service areas), and the totals are adjusted by their difference. Results equal a full
 * {@link ArealCoverage#compute} on the changed set of reaches.
 *
 * <p>A trial (a scenario compared with today) brackets its changes with {@link #checkpoint()} and
 * {@link #rollback()}: the figures, totals and reaches return exactly to those of the checkpoint (restored, not
 * recomputed, so no rounding accumulates however many trials run on one instance).
 *
 * <p>Not thread-safe: one change at a time per instance.
 */
public final class IncrementalCoverage {

    private final List<CensusUnit> units;
    private final STRtree unitIndex = new STRtree();
    private final ReachIndex reachIndex;
    private final Map<String, IndexedReach> entries = new HashMap<>();
    private final Map<String, AreaFigures> figures = new LinkedHashMap<>();
    /** Per unit, a reach that contains it and serves every counted age: while it stays, the unit stays covered. */
    private final Map<String, String> containers = new ConcurrentHashMap<>();
    private final int fromAge;
    private final int toAge;
    private double youth;
    private double covered;
    /** What a trial changed, as it was at the checkpoint (first value seen per key); null outside a trial. */
    private Journal journal;

    private record Journal(double covered, Map<String, AreaFigures> figures,
            Map<String, Optional<String>> containers, Map<String, Optional<IndexedReach>> entries) {
    }

    private IncrementalCoverage(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        this.units = units;
        this.fromAge = fromAge;
        this.toAge = toAge;
        for (int i = 0; i < units.size(); i++) {
            unitIndex.insert(units.get(i).geometry().getEnvelopeInternal(), i);
        }
        unitIndex.build();
        this.reachIndex = new ReachIndex(reaches);
        for (IndexedReach e : reachIndex.serving(Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            entries.put(e.reach().id(), e);
        }
        // The starting figures are the full computation's (its grid is far faster than one index query per
        // unit); only the containers are this class's own.
        ArealCoverage.Result start = ArealCoverage.compute(units, reaches, fromAge, toAge);
        units.parallelStream().forEach(this::noteContainer);
        for (AreaFigures f : start.areas()) {
            figures.put(f.id(), f);
        }
        youth = start.youth();
        covered = start.covered();
    }

    /**
     * Computes the starting state (a full evaluation).
     *
     * @param units   census units, planar metres, non-overlapping, distinct ids
     * @param reaches service areas in the same CRS, distinct ids
     */
    public static IncrementalCoverage of(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        return new IncrementalCoverage(units, reaches, fromAge, toAge);
    }

    /** Starts a trial: every change until {@link #rollback()} is undone by it. Trials do not nest. */
    public void checkpoint() {
        if (journal != null) {
            throw new IllegalStateException("a trial is already open");
        }
        journal = new Journal(covered, new HashMap<>(), new ConcurrentHashMap<>(), new HashMap<>());
    }

    /** Ends the trial: figures, totals, containers and reaches as they were at {@link #checkpoint()}. */
    public void rollback() {
        Journal j = journal;
        if (j == null) {
            throw new IllegalStateException("no trial is open");
        }
        journal = null;
        j.entries().forEach((id, was) -> {
            IndexedReach now = entries.remove(id);
            if (now != null) {
                reachIndex.remove(now);
            }
            was.ifPresent(e -> entries.put(id, reachIndex.add(e)));
        });
        figures.putAll(j.figures());
        j.containers().forEach((unit, was) -> {
            if (was.isPresent()) {
                containers.put(unit, was.get());
            } else {
                containers.remove(unit);
            }
        });
        covered = j.covered();
    }

    /** The reach of that id as this state has it, or null. */
    public ServiceReach reach(String id) {
        IndexedReach e = entries.get(id);
        return e == null ? null : e.reach();
    }

    private void noteEntry(String id) {
        if (journal != null) {
            journal.entries().putIfAbsent(id, Optional.ofNullable(entries.get(id)));
        }
    }

    private AreaFigures putFigures(AreaFigures f) {
        AreaFigures previous = figures.put(f.id(), f);
        if (journal != null) {
            journal.figures().putIfAbsent(f.id(), previous);
        }
        return previous;
    }

    /** Adds a program, or moves/changes the one with the same id. Returns the units whose figures changed. */
    public List<String> put(ServiceReach reach) {
        return apply(List.of(reach), List.of());
    }

    /** Removes (closes) a program. Returns the units whose figures changed. */
    public List<String> remove(String reachId) {
        return apply(List.of(), List.of(reachId));
    }

    /**
     * Applies several changes at once, as a write or a scenario of many changes brings them: the reaches put
     * (added, moved, changed), in order, then the ids removed. Each change is settled in turn where that is cheap
     * (a unit that another reach contains gets its count of programs reaching it adjusted; a large unit is
     * measured inside the change's windows), while a unit that needs a full evaluation is evaluated once, after
     * every change, however many of them met it. Returns the units whose figures changed.
     */
    public List<String> apply(List<ServiceReach> puts, List<String> removals) {
        BitSet deferred = new BitSet(units.size());
        Set<String> changed = new LinkedHashSet<>();
        for (ServiceReach reach : puts) {
            Envelope touched = new Envelope(reach.area().getEnvelopeInternal());
            noteEntry(reach.id());
            IndexedReach old = entries.remove(reach.id());
            if (old != null) {
                reachIndex.remove(old);
                touched.expandToInclude(old.reach().area().getEnvelopeInternal());
            }
            IndexedReach fresh = reachIndex.insert(reach);
            entries.put(reach.id(), fresh);
            settle(touched, reach.id(), old, fresh, deferred, changed);
        }
        for (String reachId : removals) {
            noteEntry(reachId);
            IndexedReach old = entries.remove(reachId);
            if (old != null) {
                reachIndex.remove(old);
                settle(old.reach().area().getEnvelopeInternal(), reachId, old, null, deferred, changed);
            }
        }
        List<CensusUnit> affected = deferred.stream().mapToObj(units::get).toList();
        List<AreaFigures> fresh = (affected.size() > 64 ? affected.parallelStream() : affected.stream())
                .map(u -> {
                    noteContainer(u);
                    return ArealCoverage.evaluate(u, reachIndex, fromAge, toAge);
                }).toList();
        for (AreaFigures f : fresh) {
            AreaFigures previous = putFigures(f);
            covered += f.covered() - previous.covered();
            if (!f.equals(previous)) {
                changed.add(f.id());
            }
        }
        return new ArrayList<>(changed);
    }

    /**
     * Settles one change (the reach index already holds it) in the units the changed reach met before or meets
     * now. A unit that another reach contains and serves at every counted age cannot change its covered youth:
     * only its count of programs reaching it is adjusted, without any overlay (in dense cities most units are
     * such); so is a unit that the reach contains both before and after. The units that need a full evaluation
     * are marked in {@code deferred} (and left alone by later changes of the batch, which evaluates them at its
     * end).
     */
    private void settle(Envelope touched, String changedId, IndexedReach before, IndexedReach after,
            BitSet deferred, Set<String> changed) {
        List<Envelope> windows = windows(before, after);
        // Both states contain a unit inside both inner discs and serve it whole: nothing there can change.
        boolean bothWhole = before != null && after != null && servesAll(before) && servesAll(after);
        IntList found = new IntList();
        unitIndex.query(touched, item -> found.add((Integer) item));
        for (int n = 0; n < found.size; n++) {
            int i = found.values[n];
            if (deferred.get(i)) {
                continue;
            }
            CensusUnit unit = units.get(i);
            Envelope e = unit.geometry().getEnvelopeInternal();
            if (bothWhole && before.bounds().innerContains(e) && after.bounds().innerContains(e)) {
                continue;
            }
            int wasMeeting = meets(before, unit) ? 1 : 0;
            int isMeeting = meets(after, unit) ? 1 : 0;
            if (wasMeeting + isMeeting == 0) {
                continue;
            }
            String container = containers.get(unit.id());
            if (container != null && !container.equals(changedId) && entries.containsKey(container)) {
                if (wasMeeting != isMeeting) {
                    AreaFigures f = figures.get(unit.id());
                    putFigures(new AreaFigures(f.id(), f.youth(), f.covered(),
                            f.coveredAreaShare(), f.programsReaching() + isMeeting - wasMeeting));
                    changed.add(unit.id());
                }
                continue;
            }
            if (windows.isEmpty() || !large(unit, windows)) {
                deferred.set(i);
                continue;
            }
            AreaFigures f = windowed(unit, windows, before, after, isMeeting - wasMeeting);
            AreaFigures previous = putFigures(f);
            covered += f.covered() - previous.covered();
            if (!f.equals(previous)) {
                changed.add(unit.id());
            }
        }
    }

    /** Whether the reach serves every counted age (then it covers whatever it contains whole). */
    private boolean servesAll(IndexedReach e) {
        return e.reach().minAge() <= from() && e.reach().maxAge() >= to();
    }

    /** Unit indexes as an index query finds them, unboxed. */
    private static final class IntList {
        int[] values = new int[256];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /**
     * Where the change can alter coverage: the envelopes of the old and the new service area, merged into one when
     * they meet (then the two states differ only inside each window, and the windows do not overlap).
     */
    private static List<Envelope> windows(IndexedReach before, IndexedReach after) {
        List<Envelope> windows = new ArrayList<>();
        for (IndexedReach e : new IndexedReach[] {before, after}) {
            if (e == null) {
                continue;
            }
            Envelope w = new Envelope(e.reach().area().getEnvelopeInternal());
            if (!windows.isEmpty() && windows.get(0).intersects(w)) {
                windows.get(0).expandToInclude(w);
            } else {
                windows.add(w);
            }
        }
        return windows;
    }

    /**
     * A unit worth measuring inside the windows only: one of many vertices, or reaching beyond the windows (a full
     * evaluation would measure all of it against every reach it meets, hundreds for a division around a city).
     */
    private static boolean large(CensusUnit unit, List<Envelope> windows) {
        if (unit.geometry().getNumPoints() > UnitClipper.SMALL_UNIT_POINTS) {
            return true;
        }
        Envelope e = unit.geometry().getEnvelopeInternal();
        for (Envelope w : windows) {
            if (w.covers(e)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A large unit's figures after the change, from its figures before plus the difference inside the windows:
     * {@code covered' = covered + Σ_a youth(a) · [area(u ∩ W ∩ U'_a) − area(u ∩ W ∩ U_a)] / area(u)} over the
     * windows {@code W}, both states measured by {@link CoveredLand} with the reaches meeting the window (a
     * census division around a city is never re-evaluated whole for one program moved).
     */
    private AreaFigures windowed(CensusUnit unit, List<Envelope> windows, IndexedReach before,
            IndexedReach after, int reachingChange) {
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        int window = CensusUnit.ageBits(from, to);
        AreaFigures f = figures.get(unit.id());
        double unitArea = unit.geometry().getArea();
        double coveredChange = 0;
        double shareChange = 0;
        ConvexClipArea.Rings rings = ConvexClipArea.Rings.of(unit.geometry());
        for (Envelope w : windows) {
            List<IndexedReach> now = reachIndex.candidates(w, from, to);
            List<IndexedReach> then = new ArrayList<>(now);
            then.remove(after);
            if (before != null && before.reach().area().getEnvelopeInternal().intersects(w)) {
                then.add(before);
            }
            double[] next = CoveredLand.of(unit.geometry(), rings, w, now, window, 0);
            double[] previous = CoveredLand.of(unit.geometry(), rings, w, then, window, 0);
            for (int a = from; a <= to; a++) {
                int k = 1 + a - CensusUnit.FIRST_AGE;
                coveredChange += unit.youthByAge()[a - CensusUnit.FIRST_AGE] * (next[k] - previous[k]) / unitArea;
            }
            shareChange += (next[CoveredLand.ANY] - previous[CoveredLand.ANY]) / unitArea;
        }
        noteContainer(unit);
        return new AreaFigures(f.id(), f.youth(), Math.max(0, Math.min(f.youth(), f.covered()
                + coveredChange)), Math.max(0, Math.min(1, f.coveredAreaShare() + shareChange)),
                f.programsReaching() + reachingChange);
    }

    /** Whether a reach counts as meeting a unit, exactly as {@link ArealCoverage} decides it. */
    private boolean meets(IndexedReach entry, CensusUnit unit) {
        if (entry == null) {
            return false;
        }
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        ServiceReach r = entry.reach();
        Envelope e = unit.geometry().getEnvelopeInternal();
        return r.maxAge() >= from && r.minAge() <= to && r.area().getEnvelopeInternal().intersects(e)
                && entry.meets(unit.geometry(), e);
    }

    private void noteContainer(CensusUnit unit) {
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        if (journal != null) {
            journal.containers().putIfAbsent(unit.id(), Optional.ofNullable(containers.get(unit.id())));
        }
        containers.remove(unit.id());
        for (IndexedReach e : reachIndex.candidates(unit.geometry().getEnvelopeInternal(), from, to)) {
            if (e.reach().minAge() <= from && e.reach().maxAge() >= to
                    && e.contains(unit.geometry(), unit.geometry().getEnvelopeInternal())) {
                containers.put(unit.id(), e.reach().id());
                return;
            }
        }
    }

    List<CensusUnit> units() {
        return units;
    }

    STRtree unitIndex() {
        return unitIndex;
    }

    ReachIndex reachIndex() {
        return reachIndex;
    }

    /** The youngest counted age, clamped to 6..18. */
    int from() {
        return Math.max(fromAge, CensusUnit.FIRST_AGE);
    }

    /** The oldest counted age, clamped to 6..18. */
    int to() {
        return Math.min(toAge, CensusUnit.LAST_AGE);
    }

    /** One unit's figures as this state has them, or null for an unknown id. */
    public AreaFigures figures(String unitId) {
        return figures.get(unitId);
    }

    public ArealCoverage.Result result() {
        return new ArealCoverage.Result(List.copyOf(figures.values()), youth, covered);
    }

    public double covered() {
        return covered;
    }

    public double youth() {
        return youth;
    }
}
