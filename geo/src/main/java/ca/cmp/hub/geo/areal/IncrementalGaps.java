package ca.cmp.hub.geo.areal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;

/**
 * The gaps of {@link GapAreas} kept for one set of units and moved by what-if changes and writes, without
 * dissolving the whole layer again: only the units whose envelope meets a changed program's old or new service
 * area get a new uncovered piece, and only the gaps that hold such a unit or meet such an envelope (with every
 * gap sharing a unit with those, so no piece is split between a redone and a kept gap) are dissolved again, from
 * their units' pieces. The result equals {@link GapAreas#find} on the changed reaches: a kept gap lies wholly
 * outside the changed envelopes and shares no unit with a redone one, so no new piece can touch it.
 *
 * <p>The reaches are those of an {@link IncrementalCoverage} on the same units and ages, read as it stands when
 * {@link #with} or {@link #advance} is called; the caller passes the envelopes (EPSG of the units, metres) of
 * every service area changed since this state: a program's area before and after a move, an added or closed
 * one's area. Cost: one uncovered piece per unit in those envelopes plus one union of the redone gaps' pieces; a
 * change next to a vast gap (a northern territory) dissolves that gap again.
 *
 * <p>Not thread-safe; {@link #with} does not change this state.
 */
public final class IncrementalGaps {

    private final IncrementalCoverage coverage;
    private final double minPieceArea;
    private final Map<String, Integer> unitOf = new HashMap<>();
    private State state;

    /** Pieces per unit (null: none), the gaps, and which gaps hold each unit. */
    private record State(GapAreas.Piece[] pieces, List<GapAreas.Gap> gaps, Map<Integer, List<Integer>> gapsOfUnit) {
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

    /** The gaps of the coverage's reaches now, given the envelopes changed since this state; this state stays. */
    public List<GapAreas.Gap> with(List<Envelope> changed) {
        return List.copyOf(update(changed).gaps());
    }

    /** Moves this state to the coverage's reaches now, given the envelopes changed since. */
    public void advance(List<Envelope> changed) {
        state = update(changed);
    }

    private State update(List<Envelope> changed) {
        if (changed.isEmpty()) {
            return state;
        }
        List<CensusUnit> units = coverage.units();
        BitSet touched = new BitSet(units.size());
        for (Envelope e : changed) {
            for (Object o : coverage.unitIndex().query(e)) {
                int i = (Integer) o;
                if (units.get(i).geometry().getEnvelopeInternal().intersects(e)) {
                    touched.set(i);
                }
            }
        }
        GapAreas.Piece[] pieces = state.pieces().clone();
        int from = coverage.from();
        int to = coverage.to();
        ReachIndex index = coverage.reachIndex();
        touched.stream().parallel().forEach(i -> pieces[i] = GapAreas.piece(units.get(i),
                index.meeting(units.get(i).geometry(), from, to), from, to, minPieceArea));
        // The gaps to dissolve again: those holding a touched unit or meeting a changed envelope, closed over
        // shared units.
        List<GapAreas.Gap> gaps = state.gaps();
        BitSet redo = new BitSet(gaps.size());
        Deque<Integer> queue = new ArrayDeque<>();
        touched.stream().forEach(i -> state.gapsOfUnit().getOrDefault(i, List.of()).forEach(queue::add));
        for (int g = 0; g < gaps.size(); g++) {
            Envelope ge = gaps.get(g).geometry().getEnvelopeInternal();
            for (Envelope e : changed) {
                if (ge.intersects(e)) {
                    queue.add(g);
                    break;
                }
            }
        }
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
        return state(pieces, next);
    }

    private State state(GapAreas.Piece[] pieces, List<GapAreas.Gap> gaps) {
        Map<Integer, List<Integer>> gapsOfUnit = new HashMap<>();
        for (int g = 0; g < gaps.size(); g++) {
            for (String id : gaps.get(g).unitIds()) {
                gapsOfUnit.computeIfAbsent(unitOf.get(id), k -> new ArrayList<>(1)).add(g);
            }
        }
        return new State(pieces, gaps, gapsOfUnit);
    }
}
