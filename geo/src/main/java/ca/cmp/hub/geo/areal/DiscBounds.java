package ca.cmp.hub.geo.areal;

import org.locationtech.jts.algorithm.Distance;
import org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * Two discs about one centre that bound a polygonal area from inside and from outside:
 * {@code disc(centre, inner) ⊆ area ⊆ disc(centre, outer)}.
 *
 * <p>Service areas are mostly circles (a regular polygon around a site, its vertices chosen by
 * {@link CircleVertices}), for which the two radii differ by the chord deviation {@code r (1 − cos(π/n))}: 0.12% of
 * the radius for a 64-gon, 0.007% for the hub's 260-gon. A census unit is then almost always settled as inside or
 * outside a reach by two distance comparisons, and only the few units straddling the thin ring between the discs
 * need real geometry (a unit reaching into the inner disc meets the reach: {@link #innerMeets}). For any other polygon the bounds
 * stay correct but loose ({@code inner} is 0 when the centre falls outside the area), so callers simply fall back
 * to exact predicates more often.
 *
 * <p>Both radii carry a relative and an absolute safety margin (1e-9, 1 µm) so that floating-point rounding can
 * only make a test inconclusive, never wrong. Planar coordinates (metres).
 */
record DiscBounds(double x, double y, double inner, double outer) {

    static DiscBounds of(Geometry area) {
        Envelope e = area.getEnvelopeInternal();
        double cx = (e.getMinX() + e.getMaxX()) / 2;
        double cy = (e.getMinY() + e.getMaxY()) / 2;
        Coordinate centre = new Coordinate(cx, cy);
        // Squared distances, one root at the end (hypot is several times slower, and the margins below dwarf
        // the rounding either way).
        double outer2 = 0;
        for (int i = 0; i < area.getNumGeometries(); i++) {
            if (area.getGeometryN(i) instanceof Polygon p) {
                outer2 = Math.max(outer2, farthest2(cx, cy, p.getExteriorRing().getCoordinateSequence()));
            } else {
                for (Coordinate c : area.getGeometryN(i).getCoordinates()) {
                    outer2 = Math.max(outer2, (c.x - cx) * (c.x - cx) + (c.y - cy) * (c.y - cy));
                }
            }
        }
        double outer = Math.sqrt(outer2);
        double inner = 0;
        if (SimplePointInAreaLocator.locate(centre, area) == Location.INTERIOR) {
            inner = Double.MAX_VALUE;
            for (int i = 0; i < area.getNumGeometries(); i++) {
                Polygon p = (Polygon) area.getGeometryN(i);
                inner = Math.min(inner, distanceToRing(centre, p.getExteriorRing()));
                for (int h = 0; h < p.getNumInteriorRing(); h++) {
                    inner = Math.min(inner, distanceToRing(centre, p.getInteriorRingN(h)));
                }
            }
        }
        return new DiscBounds(cx, cy, Math.max(0, inner * (1 - 1e-9) - 1e-6), outer * (1 + 1e-9) + 1e-6);
    }

    private static double farthest2(double cx, double cy, CoordinateSequence s) {
        double max = 0;
        for (int i = 0; i < s.size(); i++) {
            double dx = s.getX(i) - cx;
            double dy = s.getY(i) - cy;
            max = Math.max(max, dx * dx + dy * dy);
        }
        return max;
    }

    private static double distanceToRing(Coordinate p, LineString ring) {
        CoordinateSequence s = ring.getCoordinateSequence();
        double min = Double.MAX_VALUE;
        for (int i = 1; i < s.size(); i++) {
            min = Math.min(min, Distance.pointToSegment(p, s.getCoordinate(i - 1), s.getCoordinate(i)));
        }
        return min;
    }

    /** Whether the rectangle lies inside the inner disc, hence inside the area (never, without an inner disc). */
    boolean innerContains(double minX, double minY, double maxX, double maxY) {
        if (inner <= 0) {
            return false;
        }
        double dx = Math.max(Math.abs(minX - x), Math.abs(maxX - x));
        double dy = Math.max(Math.abs(minY - y), Math.abs(maxY - y));
        return dx * dx + dy * dy <= inner * inner;
    }

    /** Whether the rectangle misses the outer disc, hence misses the area. */
    boolean outerMisses(double minX, double minY, double maxX, double maxY) {
        double dx = Math.max(0, Math.max(minX - x, x - maxX));
        double dy = Math.max(0, Math.max(minY - y, y - maxY));
        return dx * dx + dy * dy > outer * outer;
    }

    /**
     * Whether the unit reaches into the inner disc, hence meets the area: a rectangle (its own envelope) when its
     * nearest point does, any other geometry when one of its vertices does.
     */
    boolean innerMeets(Geometry unit, Envelope e) {
        if (inner <= 0) {
            return false;
        }
        double dx = Math.max(0, Math.max(e.getMinX() - x, x - e.getMaxX()));
        double dy = Math.max(0, Math.max(e.getMinY() - y, y - e.getMaxY()));
        double inner2 = inner * inner;
        if (dx * dx + dy * dy >= inner2) {
            return false;
        }
        if (unit instanceof Polygon p && p.isRectangle()) {
            return true;
        }
        for (Coordinate c : unit.getCoordinates()) {
            if ((c.x - x) * (c.x - x) + (c.y - y) * (c.y - y) < inner2) {
                return true;
            }
        }
        return false;
    }

    boolean innerContains(Envelope e) {
        return innerContains(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
    }

    boolean outerMisses(Envelope e) {
        return outerMisses(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
    }

    /** How loose the bounds are: the width of the ring between the discs, in metres. */
    double slack() {
        return outer - inner;
    }
}
