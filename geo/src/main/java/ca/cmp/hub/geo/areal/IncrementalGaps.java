package ca.cmp.hub.geo.areal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * The gaps of {@link GapAreas} kept for one set of units and moved by what-if changes and writes, without
 * dissolving the whole layer again. A unit's uncovered piece can change only where its coverage did, so the
 * caller names the units whose coverage figures a change altered (as {@link IncrementalCoverage#put} and
 * {@link IncrementalCoverage#remove} return them); only those get a new piece (none, without any overlay, when
 * their covered share leaves less than a sliver outside), and only the gaps whose envelope meets such a unit's
 * envelope (with every gap sharing a unit with those, so no piece is split between a redone and a kept gap) are
 * dissolved again, from their units' pieces. The result equals {@link GapAreas#find} on the changed reaches: new
 * uncovered land lies inside the named units, and a kept gap meets none of them, so it cannot touch new land.
 *
 * <p>The reaches and figures are those of an {@link IncrementalCoverage} on the same units and ages, read as it
 * stands when {@link #with} or {@link #advance} is called. Cost: one piece per named unit along the edge of
 * coverage, plus one union of the redone gaps' pieces; a change next to a vast gap dissolves that gap again.
 *
 * <p>Not thread-safe; {@link #with} does not change this state.
 */
public final class IncrementalGaps {

    private final IncrementalCoverage coverage;
    private final double minPieceArea;
    private final Map<String, Integer> unitOf = new HashMap<>();
    private State state;

    /** Pieces per unit (null: none), the gaps, and which gaps hold each unit. */
    private record State(GapAreas.Piece[] pieces, List<GapAreas.Gap> gaps, Map<Integer, List<Integer>> gapsOfUnit,
            STRtree gapIndex) {
    }

    private IncrementalGaps(IncrementalCoverage coverage, double minPieceArea) {
        this.coverage = coverage;
        this.minPieceArea = minPieceArea;
        List<CensusUnit> units = coverage.units();
        for (int i = 0; i < units.size(); i++) {
            unitOf.put(units.get(i).id(), i);
        }
        int from = coverage.from();
        int to = coverage.to();
        ReachIndex index = coverage.reachIndex();
        ReachGrid grid = ReachGrid.build(units, index.serving(from, to), from, to);
        GapAreas.Piece[] pieces = new GapAreas.Piece[units.size()];
        java.util.stream.IntStream.range(0, units.size()).parallel().forEach(i -> pieces[i] = GapAreas.piece(
                units.get(i), ArealCoverage.meeting(units.get(i), grid, index, from, to), from, to, minPieceArea));
        List<GapAreas.Piece> present = new ArrayList<>();
        for (GapAreas.Piece p : pieces) {
            if (p != null) {
                present.add(p);
            }
        }
        this.state = state(pieces, GapAreas.dissolved(present));
    }

    /**
     * The gaps of the coverage's reaches as they stand (a full dissolve).
     *
     * @param minPieceArea pieces smaller than this (m²) are slivers, left out (as in {@link GapAreas#find})
     */
    public static IncrementalGaps of(IncrementalCoverage coverage, double minPieceArea) {
        return new IncrementalGaps(coverage, minPieceArea);
    }

    /** The gaps of this state, largest unmet youth first. */
    public List<GapAreas.Gap> gaps() {
        return List.copyOf(state.gaps());
    }

    /**
     * The gaps of the coverage now, given the units (ids) whose figures changed since this state; this state
     * stays.
     */
    public List<GapAreas.Gap> with(Collection<String> changedUnits) {
        if (changedUnits.isEmpty()) {
            return gaps();
        }
        // A trial reads the gaps once: no index of them is built.
        return List.copyOf(dissolvedAgain(changedUnits, state.pieces().clone()));
    }

    /** Moves this state to the coverage now, given the units (ids) whose figures changed since. */
    public void advance(Collection<String> changedUnits) {
        if (!changedUnits.isEmpty()) {
            GapAreas.Piece[] pieces = state.pieces().clone();
            state = state(pieces, dissolvedAgain(changedUnits, pieces));
        }
    }

    /** The gaps after the changes, the changed units' pieces written into {@code pieces} (a copy of the state's). */
    private List<GapAreas.Gap> dissolvedAgain(Collection<String> changedUnits, GapAreas.Piece[] pieces) {
        List<CensusUnit> units = coverage.units();
        BitSet touched = new BitSet(units.size());
        for (String id : changedUnits) {
            touched.set(unitOf.get(id));
        }
        int from = coverage.from();
        int to = coverage.to();
        ReachIndex index = coverage.reachIndex();
        touched.stream().parallel().forEach(i -> pieces[i] = piece(units.get(i), index, from, to));
        // A unit without a piece before and after (covered to the sliver both times) is in no gap either time:
        // it cannot join, split or change one.
        for (int i = touched.nextSetBit(0); i >= 0; i = touched.nextSetBit(i + 1)) {
            if (pieces[i] == null && state.pieces()[i] == null) {
                touched.clear(i);
            }
        }
        // The gaps to dissolve again: those meeting a touched unit's envelope, closed over shared units.
        List<GapAreas.Gap> gaps = state.gaps();
        BitSet redo = new BitSet(gaps.size());
        Deque<Integer> queue = new ArrayDeque<>();
        touched.stream().forEach(i -> {
            Envelope e = units.get(i).geometry().getEnvelopeInternal();
            for (Object o : state.gapIndex().query(e)) {
                int g = (Integer) o;
                if (gaps.get(g).geometry().getEnvelopeInternal().intersects(e)) {
                    queue.add(g);
                }
            }
        });
        BitSet redoUnits = (BitSet) touched.clone();
        while (!queue.isEmpty()) {
            int g = queue.poll();
            if (redo.get(g)) {
                continue;
            }
            redo.set(g);
            for (String id : gaps.get(g).unitIds()) {
                int u = unitOf.get(id);
                redoUnits.set(u);
                state.gapsOfUnit().getOrDefault(u, List.of()).forEach(queue::add);
            }
        }
        List<GapAreas.Piece> again = new ArrayList<>();
        redoUnits.stream().forEach(i -> {
            if (pieces[i] != null) {
                again.add(pieces[i]);
            }
        });
        List<GapAreas.Gap> next = new ArrayList<>(GapAreas.dissolved(again));
        for (int g = 0; g < gaps.size(); g++) {
            if (!redo.get(g)) {
                next.add(gaps.get(g));
            }
        }
        next.sort(Comparator.comparingDouble(GapAreas.Gap::unmetYouth).reversed());
        return next;
    }

    /**
     * The unit's piece as the coverage stands: none when its covered share leaves less than half a sliver
     * outside (the piece would be dropped as one; no overlay needed), else as {@link GapAreas} cuts it.
     */
    private GapAreas.Piece piece(CensusUnit unit, ReachIndex index, int from, int to) {
        AreaFigures f = coverage.figures(unit.id());
        double area = unit.geometry().getArea();
        if (f.programsReaching() > 0 && (1 - f.coveredAreaShare()) * area < minPieceArea / 2) {
            return null;
        }
        return GapAreas.piece(unit, index.meeting(unit.geometry(), from, to), from, to, minPieceArea);
    }

    private State state(GapAreas.Piece[] pieces, List<GapAreas.Gap> gaps) {
        Map<Integer, List<Integer>> gapsOfUnit = new HashMap<>();
        STRtree gapIndex = new STRtree();
        for (int g = 0; g < gaps.size(); g++) {
            gapIndex.insert(gaps.get(g).geometry().getEnvelopeInternal(), g);
            for (String id : gaps.get(g).unitIds()) {
                gapsOfUnit.computeIfAbsent(unitOf.get(id), k -> new ArrayList<>(1)).add(g);
            }
        }
        return new State(pieces, gaps, gapsOfUnit, gapIndex);
    }
}
