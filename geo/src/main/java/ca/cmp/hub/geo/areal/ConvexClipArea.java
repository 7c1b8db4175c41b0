package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * The exact area of a census unit inside the union of a few convex service areas, without building geometry:
 * Sutherland–Hodgman clipping of the unit's rings by each convex polygon (a half-plane per edge), and
 * inclusion–exclusion over the union, {@code area(U ∩ (C1 ∪ … ∪ Ck)) = Σ_{S≠∅} (−1)^{|S|+1} area(U ∩ ⋂S)}.
 *
 * <p>Why: along the edge of coverage a unit is typically crossed by one to three circles; a robust overlay and a
 * union of the pieces cost tens of microseconds each, clipping a few-vertex ring by a 64-gon a fraction of one.
 *
 * <p>Preconditions: every clip polygon convex and counter-clockwise ({@link Convex#of} checks it, and answers
 * null otherwise), the unit polygonal with valid rings (a hole's area inside C is subtracted from its shell's);
 * at most {@link #MAX_CONVEX} clip polygons (the subsets grow as 2^k; callers fall back to a JTS union beyond).
 * Clipping a non-convex <em>subject</em> by a convex window leaves zero-width bridges but the exact area.
 * Subsets whose intersection with the unit is already empty are pruned with all their supersets. Planar
 * coordinates; areas in the square of their unit.
 */
final class ConvexClipArea {

    static final int MAX_CONVEX = 5;

    private ConvexClipArea() {
    }

    /** A convex polygon, counter-clockwise, as coordinate arrays without the closing point. */
    record Convex(double[] x, double[] y) {

        /** A rectangle, counter-clockwise. */
        static Convex box(Envelope e) {
            return new Convex(new double[] {e.getMinX(), e.getMaxX(), e.getMaxX(), e.getMinX()},
                    new double[] {e.getMinY(), e.getMinY(), e.getMaxY(), e.getMaxY()});
        }

        /** The polygon's ring when it is one convex polygon without holes, else null. */
        static Convex of(Geometry g) {
            if (!(g instanceof Polygon p) || p.getNumInteriorRing() > 0) {
                return null;
            }
            CoordinateSequence s = p.getExteriorRing().getCoordinateSequence();
            int n = s.size() - 1;
            if (n < 3) {
                return null;
            }
            boolean ccw = Orientation.isCCW(s);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int k = ccw ? i : n - 1 - i;
                x[i] = s.getX(k);
                y[i] = s.getY(k);
            }
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                int k = (i + 2) % n;
                double ax = x[j] - x[i];
                double ay = y[j] - y[i];
                double bx = x[k] - x[j];
                double by = y[k] - y[j];
                double cross = ax * by - ay * bx;
                // cross < -1e-12·|a|·|b|, squared (no roots: this runs for every vertex of every reach).
                if (cross < 0 && cross * cross > 1e-24 * (ax * ax + ay * ay) * (bx * bx + by * by)) {
                    return null;
                }
            }
            return new Convex(x, y);
        }
    }

    /** {@code area(unit ∩ (convex[0] ∪ …))}; {@code convex.size() <= MAX_CONVEX}. */
    static double areaInUnion(Geometry unit, List<Convex> convex) {
        if (convex.size() > MAX_CONVEX) {
            throw new IllegalArgumentException("at most " + MAX_CONVEX + " convex polygons, got " + convex.size());
        }
        double total = 0;
        for (int i = 0; i < unit.getNumGeometries(); i++) {
            Polygon p = (Polygon) unit.getGeometryN(i);
            total += areaInUnion(ring(p.getExteriorRing()), convex);
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                total -= areaInUnion(ring(p.getInteriorRingN(h)), convex);
            }
        }
        return Math.max(0, total);
    }

    private static double areaInUnion(double[][] ring, List<Convex> convex) {
        double sum = 0;
        for (int i = 0; i < convex.size(); i++) {
            sum += subsets(clip(ring, convex.get(i)), convex, i + 1, 1);
        }
        return sum;
    }

    /** Σ over the subsets extending the current one (of size {@code size}) by clip polygons from {@code next}. */
    private static double subsets(double[][] clipped, List<Convex> convex, int next, int size) {
        double area = Math.abs(shoelace(clipped));
        if (area == 0) {
            return 0;
        }
        double sum = (size % 2 == 1 ? 1 : -1) * area;
        for (int j = next; j < convex.size(); j++) {
            sum += subsets(clip(clipped, convex.get(j)), convex, j + 1, size + 1);
        }
        return sum;
    }

    /** Rings with their roles (+1 a shell, −1 a hole), and the land they enclose: shells' area less holes'. */
    record Rings(List<double[][]> rings, List<Integer> signs, double land) {

        /** The rings of a polygonal geometry. */
        static Rings of(Geometry polygonal) {
            List<double[][]> rings = new ArrayList<>();
            List<Integer> signs = new ArrayList<>();
            for (int i = 0; i < polygonal.getNumGeometries(); i++) {
                if (polygonal.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
                    rings.add(ring(p.getExteriorRing()));
                    signs.add(1);
                    for (int h = 0; h < p.getNumInteriorRing(); h++) {
                        rings.add(ring(p.getInteriorRingN(h)));
                        signs.add(-1);
                    }
                }
            }
            return new Rings(rings, signs, Math.max(0, polygonal.getArea()));
        }

        /** Each ring clipped to the convex polygon; rings left without area are dropped. */
        Rings clip(Convex c) {
            List<double[][]> clipped = new ArrayList<>(rings.size());
            List<Integer> kept = new ArrayList<>(rings.size());
            double sum = 0;
            for (int r = 0; r < rings.size(); r++) {
                double[][] piece = ConvexClipArea.clip(rings.get(r), c);
                double a = Math.abs(shoelace(piece));
                if (a > 0) {
                    clipped.add(piece);
                    kept.add(signs.get(r));
                    sum += signs.get(r) * a;
                }
            }
            return new Rings(clipped, kept, sum);
        }

        boolean isEmpty() {
            return rings.isEmpty();
        }
    }

    static double[][] ring(LineString ring) {
        CoordinateSequence s = ring.getCoordinateSequence();
        int n = s.size() - 1;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = s.getX(i);
            y[i] = s.getY(i);
        }
        return new double[][] {x, y};
    }

    /**
     * The ring clipped to the convex polygon: one half-plane (left of each edge) at a time. An edge leaving every
     * vertex on its inner side would copy the ring unchanged, so it is only checked (a small piece meets few of a
     * 64-gon's edges); one leaving every vertex outside empties it. Rings are never written to: an uncut ring comes
     * back as the same arrays.
     */
    static double[][] clip(double[][] ring, Convex c) {
        double[] x = ring[0];
        double[] y = ring[1];
        int n = x.length;
        int m = c.x().length;
        boolean cut = false;
        for (int e = 0; e < m && n > 0; e++) {
            double ex = c.x()[e];
            double ey = c.y()[e];
            double dx = c.x()[(e + 1) % m] - ex;
            double dy = c.y()[(e + 1) % m] - ey;
            boolean allIn = true;
            boolean anyIn = false;
            for (int i = 0; i < n; i++) {
                if (dx * (y[i] - ey) - dy * (x[i] - ex) >= 0) {
                    anyIn = true;
                } else {
                    allIn = false;
                }
            }
            if (allIn) {
                continue;
            }
            cut = true;
            if (!anyIn) {
                n = 0;
                break;
            }
            double[] ox = new double[n * 2];
            double[] oy = new double[n * 2];
            int k = 0;
            double px = x[n - 1];
            double py = y[n - 1];
            double ps = dx * (py - ey) - dy * (px - ex);
            for (int i = 0; i < n; i++) {
                double qx = x[i];
                double qy = y[i];
                double qs = dx * (qy - ey) - dy * (qx - ex);
                if (qs >= 0) {
                    if (ps < 0) {
                        double t = ps / (ps - qs);
                        ox[k] = px + t * (qx - px);
                        oy[k++] = py + t * (qy - py);
                    }
                    ox[k] = qx;
                    oy[k++] = qy;
                } else if (ps >= 0) {
                    double t = ps / (ps - qs);
                    ox[k] = px + t * (qx - px);
                    oy[k++] = py + t * (qy - py);
                }
                px = qx;
                py = qy;
                ps = qs;
            }
            x = ox;
            y = oy;
            n = k;
        }
        if (!cut) {
            return ring;
        }
        return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }

    static double shoelace(double[][] ring) {
        double[] x = ring[0];
        double[] y = ring[1];
        int n = x.length;
        if (n < 3) {
            return 0;
        }
        double sum = 0;
        // Relative to the first vertex: metres-scale products instead of 10^13, for precision.
        for (int i = 1; i < n - 1; i++) {
            sum += (x[i] - x[0]) * (y[i + 1] - y[0]) - (x[i + 1] - x[0]) * (y[i] - y[0]);
        }
        return sum / 2;
    }
}
