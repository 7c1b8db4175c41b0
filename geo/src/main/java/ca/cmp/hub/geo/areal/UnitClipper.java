package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * Measures unions of the reaches meeting one census unit within it, clipping each reach to the unit at most once:
 * {@code area(unit ∩ ⋃S) / area(unit)} for any subset {@code S} of those reaches, and the land outside them.
 * Small units crossed by a few convex reaches are measured by {@link ConvexClipArea} arithmetic, others by JTS
 * robust overlay and union. Planar coordinates (metres); one instance per unit, not thread-safe.
 */
final class UnitClipper {

    /**
     * Units with up to this many points, crossed by up to {@link ConvexClipArea#MAX_CONVEX} convex reaches, are
     * measured by clipping arithmetic; larger ones by JTS overlay and union (where the noding pays off).
     */
    static final int SMALL_UNIT_POINTS = 256;

    private final Geometry unit;
    private final double unitArea;
    private final List<IndexedReach> meeting;
    private final Geometry[] pieces;
    private final Boolean[] containsUnit;

    /** @param known per meeting reach, TRUE where it is already known to contain the unit (may be longer) */
    UnitClipper(Geometry unit, List<IndexedReach> meeting, Boolean[] known) {
        this.unit = unit;
        this.unitArea = unit.getArea();
        this.meeting = meeting;
        this.pieces = new Geometry[meeting.size()];
        this.containsUnit = Arrays.copyOf(known, meeting.size());
    }

    boolean contains(int i) {
        if (containsUnit[i] == null) {
            containsUnit[i] = meeting.get(i).prepared().contains(unit);
        }
        return containsUnit[i];
    }

    Geometry piece(int i) {
        if (pieces[i] == null) {
            pieces[i] = OverlayNGRobust.overlay(meeting.get(i).reach().area(), unit, OverlayNG.INTERSECTION);
        }
        return pieces[i];
    }

    double fraction(BitSet set) {
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            if (contains(i)) {
                return 1.0;
            }
        }
        if (unitArea == 0) {
            return 0;
        }
        if (set.cardinality() <= ConvexClipArea.MAX_CONVEX && unit.getNumPoints() <= SMALL_UNIT_POINTS) {
            List<ConvexClipArea.Convex> convex = new ArrayList<>(set.cardinality());
            for (int i = set.nextSetBit(0); i >= 0 && convex != null; i = set.nextSetBit(i + 1)) {
                ConvexClipArea.Convex c = meeting.get(i).convex();
                if (c == null) {
                    convex = null;
                } else {
                    convex.add(c);
                }
            }
            if (convex != null) {
                return Math.min(1.0, ConvexClipArea.areaInUnion(unit, convex) / unitArea);
            }
        }
        List<Geometry> parts = new ArrayList<>(set.cardinality());
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            Geometry p = piece(i);
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty() || unitArea == 0) {
            return 0;
        }
        double area = parts.size() == 1 ? parts.get(0).getArea() : UnaryUnionOp.union(parts).getArea();
        return Math.min(1.0, area / unitArea);
    }

    /** The unit's land outside every reach of {@code set}. */
    Geometry outside(BitSet set) {
        List<Geometry> parts = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            if (contains(i)) {
                return unit.getFactory().createPolygon();
            }
            Geometry p = piece(i);
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty()) {
            return unit;
        }
        return OverlayNGRobust.overlay(unit, UnaryUnionOp.union(parts), OverlayNG.DIFFERENCE);
    }
}
