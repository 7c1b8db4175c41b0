package ca.cmp.hub.geo.areal;

import org.locationtech.jts.algorithm.CGAlgorithmsDD;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * Whether two convex polygons meet (share a point, boundaries included: JTS's {@code intersects}), by the
 * separating axis theorem: two compact convex sets are disjoint exactly when a line parallel to an edge of one of
 * them has the other strictly on its outer side. So the test is, for every edge of either polygon, whether all
 * vertices of the other lie strictly right of it (both counter-clockwise).
 *
 * <p>Why: a census unit straddling the thin ring between a service area's disc bounds used to cost a prepared
 * {@code intersects} (noding the unit's segments against the reach's index); for a four-vertex cell against a
 * 64-gon this is about 2 × 4 × 64 sign evaluations and no allocation.
 *
 * <p>Robustness: each sign is taken only when it exceeds a bound on its own rounding error
 * ({@code 1e-14 · (|dx|·|Δy| + |dy|·|Δx|)}, some twenty times the error of the two products and the
 * differences, for coordinates of any magnitude); when a decision rests on a sign inside that bound (a vertex
 * within about 1e-14 of the edge's length of its line), the answer is {@code null} and the caller asks JTS.
 * So a non-null answer is the exact one. Preconditions: both rings simple, counter-clockwise, and convex in
 * exact arithmetic ({@link #exactlyConvex} checks the turns with JTS' robust orientation); rings as
 * {@link ConvexClipArea.Convex}, without the closing point. Any planar coordinates.
 */
final class SeparatingAxis {

    private static final double ERROR = 1e-14;

    private SeparatingAxis() {
    }

    /** TRUE when the polygons meet, FALSE when they are disjoint, null when rounding could decide it. */
    static Boolean meets(ConvexClipArea.Convex a, ConvexClipArea.Convex b) {
        int ab = separates(a, b);
        if (ab == SEPARATED) {
            return Boolean.FALSE;
        }
        int ba = separates(b, a);
        if (ba == SEPARATED) {
            return Boolean.FALSE;
        }
        return ab == OPEN && ba == OPEN ? Boolean.TRUE : null;
    }

    private static final int OPEN = 0;
    private static final int SEPARATED = 1;
    private static final int UNSURE = 2;

    /** Whether some edge of {@code a} has every vertex of {@code b} strictly on its right (outer) side. */
    private static int separates(ConvexClipArea.Convex a, ConvexClipArea.Convex b) {
        double[] ax = a.x();
        double[] ay = a.y();
        double[] bx = b.x();
        double[] by = b.y();
        int m = ax.length;
        int n = bx.length;
        boolean unsure = false;
        for (int e = 0; e < m; e++) {
            double ex = ax[e];
            double ey = ay[e];
            int f = e + 1 == m ? 0 : e + 1;
            double dx = ax[f] - ex;
            double dy = ay[f] - ey;
            if (dx == 0 && dy == 0) {
                // A repeated vertex: no edge, no axis.
                continue;
            }
            double adx = Math.abs(dx);
            double ady = Math.abs(dy);
            boolean allRight = true;
            boolean edgeUnsure = false;
            for (int i = 0; i < n; i++) {
                double px = bx[i] - ex;
                double py = by[i] - ey;
                double s = dx * py - dy * px;
                double error = ERROR * (adx * Math.abs(py) + ady * Math.abs(px));
                if (s > error) {
                    // A vertex strictly inside this edge's half-plane: this axis separates nothing.
                    allRight = false;
                    edgeUnsure = false;
                    break;
                }
                if (s >= -error) {
                    edgeUnsure = true;
                }
            }
            if (allRight && !edgeUnsure) {
                return SEPARATED;
            }
            unsure |= allRight && edgeUnsure;
        }
        return unsure ? UNSURE : OPEN;
    }

    /** Whether every turn of the ring is to the left or straight, by JTS' robust (double-double) orientation. */
    static boolean exactlyConvex(ConvexClipArea.Convex c) {
        double[] x = c.x();
        double[] y = c.y();
        int n = x.length;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            int k = (i + 2) % n;
            if (CGAlgorithmsDD.orientationIndex(x[i], y[i], x[j], y[j], x[k], y[k]) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unit's ring as a counter-clockwise convex polygon when it is one polygon (or a multipolygon of one)
     * without holes whose turns are all left or straight, else null.
     */
    static ConvexClipArea.Convex convexRing(Geometry g) {
        Geometry polygon = g instanceof MultiPolygon mp && mp.getNumGeometries() == 1 ? mp.getGeometryN(0) : g;
        if (!(polygon instanceof Polygon)) {
            return null;
        }
        ConvexClipArea.Convex c = ConvexClipArea.Convex.of(polygon);
        return c != null && exactlyConvex(c) ? c : null;
    }
}
