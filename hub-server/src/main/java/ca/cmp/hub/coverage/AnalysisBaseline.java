package ca.cmp.hub.coverage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ca.cmp.hub.geo.areal.AreaFigures;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.GapAreas;
import ca.cmp.hub.geo.areal.IncrementalAccess;
import ca.cmp.hub.geo.areal.IncrementalCoverage;
import ca.cmp.hub.geo.areal.IncrementalGaps;
import ca.cmp.hub.geo.areal.ServiceReach;

/**
 * The analysis of one region, filter and data version, kept: areal coverage, the 2SFCA access index and the
 * dissolved gaps, each in its incremental form ({@link IncrementalCoverage}, {@link IncrementalAccess},
 * {@link IncrementalGaps}). A what-if {@link #trial} applies a scenario's changes to it, reads the figures and
 * rolls them back exactly; a write moves it to the next data version by the difference of the programs
 * ({@link CoverageAnalysis#baseline}). Its figures equal a full recomputation on the same reaches.
 *
 * <p>Access is moved per program (a program's places per young person depend only on its own catchment), so a
 * change re-evaluates the units of its old and new catchments. Gaps are dissolved again only where a change
 * could alter them: the gaps meeting a changed service area's envelope or holding a unit inside it (and those
 * sharing a unit with them); a change next to a vast gap dissolves that whole gap again. Gaps are moved lazily,
 * when they are asked for. Thread-safe: one trial or move at a time.
 */
public final class AnalysisBaseline {

    /** Figures of one state. */
    public record Totals(double youth, double covered, double placesPer1000, int gapCount, double largestGapYouth) {

        public double ratio() {
            return youth == 0 ? 0 : covered / youth;
        }
    }

    /** An area a trial changed: covered youth and places per 1,000 youth today and with the changes. */
    public record ChangedArea(AnalysisArea area, double youth, double coveredToday, double coveredThen,
            double placesToday, double placesThen) {
    }

    public record Trial(Totals today, Totals then, List<ChangedArea> areas) {
    }

    /** One change of a trial: a reach put (added, moved, changed), or a program id removed (reach null). */
    public record Change(String id, ServiceReach reach) {
    }

    private final List<AnalysisArea> areas;
    private final List<CensusUnit> units;
    private final List<String> youthMethods;
    private final Map<String, Integer> unitIndex = new HashMap<>();
    private final IncrementalCoverage coverage;
    private final IncrementalAccess access;
    private IncrementalGaps gaps;
    /** Units whose coverage changed since the gaps' state (the gaps move when they are next asked for). */
    private final Set<String> gapsBehind = new java.util.HashSet<>();
    private final Map<String, ServiceReach> reaches = new HashMap<>();
    private long version;
    private final org.locationtech.jts.geom.Envelope extent;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnalysisBaseline.class);

    AnalysisBaseline(long version, CoverageAnalysis.Loaded loaded, int fromAge, int toAge) {
        long t0 = System.nanoTime();
        this.version = version;
        this.areas = loaded.areas();
        this.units = loaded.units();
        this.youthMethods = loaded.youthMethods();
        this.extent = loaded.extent();
        for (int i = 0; i < units.size(); i++) {
            unitIndex.put(units.get(i).id(), i);
        }
        loaded.reaches().forEach(r -> reaches.put(r.id(), r));
        this.coverage = IncrementalCoverage.of(units, loaded.reaches(), fromAge, toAge);
        long t1 = System.nanoTime();
        this.access = IncrementalAccess.of(units, loaded.reaches(), fromAge, toAge);
        // Where a first analysis spends its time (gaps are built on first use and logged there).
        LOG.debug("analysis of {} areas, {} programs kept: coverage {} ms, access {} ms", units.size(),
                reaches.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    public List<AnalysisArea> areas() {
        return areas;
    }

    public List<String> youthMethods() {
        return youthMethods;
    }

    /** The envelope of this state's areas (EPSG:3347): the programs reaching it are its programs. */
    org.locationtech.jts.geom.Envelope extent() {
        return extent;
    }

    /** The data version this state is of. */
    public synchronized long version() {
        return version;
    }

    /** The program's reach as this state has it (null: not ACTIVE, not fitting, or not near the region). */
    public synchronized ServiceReach reach(String programId) {
        return reaches.get(programId);
    }

    /** Whether this state was computed on exactly these areas (the same objects, as kept inputs give them). */
    boolean on(List<AnalysisArea> others) {
        if (others.size() != areas.size()) {
            return false;
        }
        for (int i = 0; i < areas.size(); i++) {
            if (others.get(i) != areas.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Moves this state to {@code version}'s reaches by their difference (a reach is unchanged when it has the
     * very same service area object, as the kept inputs carry it, and the same ages and capacity). Returns false,
     * changing nothing, when more than {@code maxChanges} differ (a full computation is then cheaper). A state
     * never moves back to an older version.
     */
    synchronized boolean advance(long toVersion, List<ServiceReach> now, int maxChanges) {
        if (toVersion <= version) {
            return true;
        }
        List<Change> changes = difference(now);
        if (changes.size() > maxChanges) {
            return false;
        }
        // All at once: a unit that several changed programs meet is evaluated once.
        BitSet changed = apply(changes, gapsBehind);
        LOG.debug("moved to version {} by {} programs' changes ({} areas' figures may change)", toVersion,
                changes.size(), changed.cardinality());
        version = toVersion;
        return true;
    }

    private List<Change> difference(List<ServiceReach> now) {
        List<Change> changes = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        for (ServiceReach r : now) {
            present.add(r.id());
            ServiceReach was = reaches.get(r.id());
            if (was == null || was.area() != r.area() || was.minAge() != r.minAge() || was.maxAge() != r.maxAge()
                    || was.places() != r.places() || was.waitlist() != r.waitlist()) {
                changes.add(new Change(r.id(), r));
            }
        }
        for (String id : reaches.keySet()) {
            if (!present.contains(id)) {
                changes.add(new Change(id, null));
            }
        }
        return changes;
    }

    /**
     * Applies the changes to coverage and access (a later change to the same program wins); returns the indexes
     * of the units whose figures they may change, and notes in {@code coverageChanged} the ids of those whose
     * coverage changed.
     */
    private BitSet apply(List<Change> changes, Set<String> coverageChanged) {
        Map<String, Change> last = new java.util.LinkedHashMap<>();
        changes.forEach(c -> last.put(c.id(), c));
        BitSet changed = new BitSet(units.size());
        List<ServiceReach> puts = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        for (Change c : last.values()) {
            if (c.reach() == null) {
                if (reaches.remove(c.id()) == null) {
                    continue;
                }
                removals.add(c.id());
                access.remove(c.id()).forEach(changed::set);
            } else {
                reaches.put(c.id(), c.reach());
                puts.add(c.reach());
                access.put(c.reach()).forEach(changed::set);
            }
        }
        List<String> covered = coverage.apply(puts, removals);
        coverageChanged.addAll(covered);
        covered.forEach(id -> changed.set(unitIndex.get(id)));
        return changed;
    }

    /** This state's figures per area (coverage) and per area (access), in the areas' order. */
    synchronized ArealCoverage.Result coverage() {
        return coverage.result();
    }

    synchronized ca.cmp.hub.geo.areal.TwoStepFloatingCatchment.Result access() {
        return access.result();
    }

    /** This state's gaps, largest unmet youth first. */
    synchronized List<GapAreas.Gap> gaps() {
        return currentGaps().gaps();
    }

    private IncrementalGaps currentGaps() {
        if (gaps == null) {
            long t0 = System.nanoTime();
            gaps = IncrementalGaps.of(coverage, CoverageAnalysis.SLIVER_M2);
            gapsBehind.clear();
            LOG.debug("gaps of {} areas kept: {} ms", units.size(), (System.nanoTime() - t0) / 1_000_000);
        } else if (!gapsBehind.isEmpty()) {
            gaps.advance(List.copyOf(gapsBehind));
            gapsBehind.clear();
        }
        return gaps;
    }

    /**
     * Today's figures and those with {@code changes} applied in order (a later change to the same program wins),
     * and the areas whose figures differ; this state is the same afterwards.
     */
    public synchronized Trial trial(List<Change> changes) {
        long t0 = System.nanoTime();
        IncrementalGaps todayGaps = currentGaps();
        long t1 = System.nanoTime();
        long t2 = t1;
        long t3 = t1;
        Totals today = totals(todayGaps.gaps());
        // The trial's programs as they were, to put back (null: none).
        Map<String, ServiceReach> before = new HashMap<>();
        changes.forEach(c -> before.putIfAbsent(c.id(), reaches.get(c.id())));
        coverage.checkpoint();
        access.checkpoint();
        Set<String> coverageChanged = new java.util.HashSet<>();
        double[] coveredThen;
        double[] placesThen;
        Totals then;
        int[] changedUnits;
        try {
            BitSet touched = apply(changes, coverageChanged);
            t2 = System.nanoTime();
            then = totals(todayGaps.with(coverageChanged));
            t3 = System.nanoTime();
            changedUnits = touched.stream().toArray();
            coveredThen = new double[changedUnits.length];
            placesThen = new double[changedUnits.length];
            for (int i = 0; i < changedUnits.length; i++) {
                coveredThen[i] = coverage.figures(units.get(changedUnits[i]).id()).covered();
                placesThen[i] = access.placesPer1000(changedUnits[i]);
            }
        } finally {
            coverage.rollback();
            access.rollback();
            before.forEach((id, r) -> {
                if (r == null) {
                    reaches.remove(id);
                } else {
                    reaches.put(id, r);
                }
            });
        }
        List<ChangedArea> rows = new ArrayList<>();
        for (int i = 0; i < changedUnits.length; i++) {
            int k = changedUnits[i];
            AreaFigures f = coverage.figures(units.get(k).id());
            double placesToday = access.placesPer1000(k);
            if (Math.abs(f.covered() - coveredThen[i]) > 1e-9 || Math.abs(placesToday - placesThen[i]) > 1e-9) {
                rows.add(new ChangedArea(areas.get(k), f.youth(), f.covered(), coveredThen[i], placesToday,
                        placesThen[i]));
            }
        }
        LOG.debug("trial of {} changes: gaps of today {} ms, coverage and access {} ms ({} areas), gaps {} ms, "
                + "rows and rollback {} ms", changes.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                changedUnits.length, (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
        return new Trial(today, then, rows);
    }

    private Totals totals(List<GapAreas.Gap> gapList) {
        double largest = gapList.isEmpty() ? 0 : gapList.get(0).unmetYouth();
        return new Totals(coverage.youth(), coverage.covered(), access.placesPer1000(), gapList.size(), largest);
    }
}
