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
 * the units whose envelope meets the old or new service area are evaluated again, and the totals are adjusted by
 * their difference. Results equal a full {@link ArealCoverage#compute} on the changed set of reaches.
 *
 * <p>Not thread-safe: one planner's scenario at a time (the hub keeps one instance per scenario).
 */
public final class IncrementalCoverage {

    private final List<CensusUnit> units;
    private final STRtree unitIndex = new STRtree();
    private final ReachIndex reachIndex;
    private final Map<String, ReachIndex.Entry> entries = new HashMap<>();
    private final Map<String, ArealCoverage.AreaFigures> figures = new LinkedHashMap<>();
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
        List<ArealCoverage.AreaFigures> all = units.parallelStream()
                .map(u -> ArealCoverage.evaluate(u, reachIndex, fromAge, toAge)).toList();
        for (ArealCoverage.AreaFigures f : all) {
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
        ReachIndex.Entry old = entries.remove(reach.id());
        if (old != null) {
            reachIndex.remove(old);
            touched.expandToInclude(old.reach().area().getEnvelopeInternal());
        }
        entries.put(reach.id(), reachIndex.insert(reach));
        return reevaluate(touched, old == null ? null : old.reach().area().getEnvelopeInternal(),
                reach.area().getEnvelopeInternal());
    }

    /** Removes (closes) a program. Returns the units whose figures changed. */
    public List<String> remove(String reachId) {
        ReachIndex.Entry old = entries.remove(reachId);
        if (old == null) {
            return List.of();
        }
        reachIndex.remove(old);
        Envelope env = old.reach().area().getEnvelopeInternal();
        return reevaluate(env, env, null);
    }

    private List<String> reevaluate(Envelope touched, Envelope before, Envelope after) {
        List<CensusUnit> affected = new ArrayList<>();
        for (Object o : unitIndex.query(touched)) {
            Envelope unitEnv = units.get((Integer) o).geometry().getEnvelopeInternal();
            if (before != null && before.intersects(unitEnv) || after != null && after.intersects(unitEnv)) {
                affected.add(units.get((Integer) o));
            }
        }
        List<ArealCoverage.AreaFigures> fresh = (affected.size() > 64 ? affected.parallelStream() : affected.stream())
                .map(u -> ArealCoverage.evaluate(u, reachIndex, fromAge, toAge)).toList();
        List<String> changed = new ArrayList<>();
        for (ArealCoverage.AreaFigures f : fresh) {
            ArealCoverage.AreaFigures previous = figures.put(f.id(), f);
            covered += f.covered() - previous.covered();
            if (!f.equals(previous)) {
                changed.add(f.id());
            }
        }
        return changed;
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
