package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Coverage that answers what-if changes (a program added, moved, closed) without recomputing everything: only
 * the units whose envelope meets the old or new service area are evaluated again (a large unit only inside the
 * envelopes of the two service areas), and the totals are adjusted by their difference. Results equal a full
 * {@link ArealCoverage#compute} on the changed set of reaches.
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
    private final Map<String, String> containers = new java.util.concurrent.ConcurrentHashMap<>();
    private final int fromAge;
    private final int toAge;
    private double youth;
    private double covered;

    private IncrementalCoverage(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        this.units = units;
        this.fromAge = fromAge;
        this.toAge = toAge;
        for (int i = 0; i < units.size(); i++) {
            unitIndex.insert(units.get(i).geometry().getEnvelopeInternal(), i);
        }
        unitIndex.build();
        this.reachIndex = new ReachIndex(List.of());
        for (ServiceReach r : reaches) {
            entries.put(r.id(), reachIndex.insert(r));
        }
        List<AreaFigures> all = units.parallelStream().map(u -> {
            noteContainer(u);
            return ArealCoverage.evaluate(u, reachIndex, fromAge, toAge);
        }).toList();
        for (AreaFigures f : all) {
            figures.put(f.id(), f);
            youth += f.youth();
            covered += f.covered();
        }
    }

    /** Computes the starting state (a full evaluation). */
    public static IncrementalCoverage of(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge) {
        return new IncrementalCoverage(units, reaches, fromAge, toAge);
    }

    /** Adds a program, or moves/changes the one with the same id. Returns the units whose figures changed. */
    public List<String> put(ServiceReach reach) {
        Envelope touched = new Envelope(reach.area().getEnvelopeInternal());
        IndexedReach old = entries.remove(reach.id());
        if (old != null) {
            reachIndex.remove(old);
            touched.expandToInclude(old.reach().area().getEnvelopeInternal());
        }
        IndexedReach fresh = reachIndex.insert(reach);
        entries.put(reach.id(), fresh);
        return reevaluate(touched, reach.id(), old, fresh);
    }

    /** Removes (closes) a program. Returns the units whose figures changed. */
    public List<String> remove(String reachId) {
        IndexedReach old = entries.remove(reachId);
        if (old == null) {
            return List.of();
        }
        reachIndex.remove(old);
        return reevaluate(old.reach().area().getEnvelopeInternal(), reachId, old, null);
    }

    /**
     * Re-evaluates the units the changed reach met before or meets now. A unit that another reach contains and
     * serves at every counted age cannot change its covered youth: only its count of programs reaching it is
     * adjusted, without any overlay (in dense cities most units are such).
     */
    private List<String> reevaluate(Envelope touched, String changedId, IndexedReach before,
            IndexedReach after) {
        List<CensusUnit> affected = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<Envelope> windows = windows(before, after);
        for (Object o : unitIndex.query(touched)) {
            CensusUnit unit = units.get((Integer) o);
            int wasMeeting = meets(before, unit) ? 1 : 0;
            int isMeeting = meets(after, unit) ? 1 : 0;
            if (wasMeeting + isMeeting == 0) {
                continue;
            }
            String container = containers.get(unit.id());
            if (container != null && !container.equals(changedId) && entries.containsKey(container)) {
                if (wasMeeting != isMeeting) {
                    AreaFigures f = figures.get(unit.id());
                    figures.put(unit.id(), new AreaFigures(f.id(), f.youth(), f.covered(),
                            f.coveredAreaShare(), f.programsReaching() + isMeeting - wasMeeting));
                    changed.add(unit.id());
                }
                continue;
            }
            if (windows.isEmpty() || !large(unit, windows)) {
                affected.add(unit);
                continue;
            }
            AreaFigures f = windowed(unit, windows, before, after, isMeeting - wasMeeting);
            AreaFigures previous = figures.put(unit.id(), f);
            covered += f.covered() - previous.covered();
            if (!f.equals(previous)) {
                changed.add(unit.id());
            }
        }
        List<AreaFigures> fresh = (affected.size() > 64 ? affected.parallelStream() : affected.stream())
                .map(u -> {
                    noteContainer(u);
                    return ArealCoverage.evaluate(u, reachIndex, fromAge, toAge);
                }).toList();
        for (AreaFigures f : fresh) {
            AreaFigures previous = figures.put(f.id(), f);
            covered += f.covered() - previous.covered();
            if (!f.equals(previous)) {
                changed.add(f.id());
            }
        }
        return changed;
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
        containers.remove(unit.id());
        for (IndexedReach e : reachIndex.candidates(unit.geometry().getEnvelopeInternal(), from, to)) {
            if (e.reach().minAge() <= from && e.reach().maxAge() >= to
                    && e.contains(unit.geometry(), unit.geometry().getEnvelopeInternal())) {
                containers.put(unit.id(), e.reach().id());
                return;
            }
        }
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
