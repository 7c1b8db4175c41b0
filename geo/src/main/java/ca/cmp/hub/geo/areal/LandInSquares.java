package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * The area of a polygon inside a set of disjoint squares, by recursive subdivision: the polygon's rings are clipped
 * to a node's box (Sutherland–Hodgman against the four sides), a node holding no square or no land is dropped, a
 * node entirely land counts its squares whole, and the rest is split in four with the already-clipped rings.
 *
 * <p>Why: clipping a census division of thousands of vertices to each of hundreds of squares costs the whole ring
 * every time; here each level only carries the fragment of ring inside its box, so the total is about
 * {@code n log(squares)}. Exact for valid polygons (a hole's land is subtracted from its shell's; the clipped
 * rings may carry zero-width bridges, which add no area). Planar coordinates; the squares must not overlap.
 */
final class LandInSquares {

    private LandInSquares() {
    }

    /** Σ area(polygon ∩ square) over the squares. */
    static double total(Geometry polygon, List<Envelope> squares) {
        if (squares.isEmpty()) {
            return 0;
        }
        Envelope all = new Envelope();
        squares.forEach(all::expandToInclude);
        return node(ConvexClipArea.Rings.of(polygon), squares, all);
    }

    private static double node(ConvexClipArea.Rings rings, List<Envelope> squares, Envelope box) {
        ConvexClipArea.Rings clipped = rings.clip(ConvexClipArea.Convex.box(box));
        double land = clipped.land();
        if (land <= 0) {
            return 0;
        }
        double boxArea = box.getArea();
        if (squares.size() == 1 && squares.get(0).equals(box)) {
            return Math.min(land, boxArea);
        }
        if (land >= boxArea * (1 - 1e-12)) {
            double sum = 0;
            for (Envelope s : squares) {
                sum += s.getArea();
            }
            return sum;
        }
        // Split at grid lines near the middle (along an axis only where one falls inside), so that no square
        // straddles two children.
        double mx = split(box.getMinX(), box.getMaxX(), squares, true);
        double my = split(box.getMinY(), box.getMaxY(), squares, false);
        double[] xs = Double.isNaN(mx) ? new double[] {box.getMinX(), box.getMaxX()}
                : new double[] {box.getMinX(), mx, box.getMaxX()};
        double[] ys = Double.isNaN(my) ? new double[] {box.getMinY(), box.getMaxY()}
                : new double[] {box.getMinY(), my, box.getMaxY()};
        double sum = 0;
        for (int i = 0; i + 1 < xs.length; i++) {
            for (int j = 0; j + 1 < ys.length; j++) {
                Envelope child = new Envelope(xs[i], xs[i + 1], ys[j], ys[j + 1]);
                List<Envelope> inside = new ArrayList<>();
                for (Envelope s : squares) {
                    if (child.covers(s)) {
                        inside.add(s);
                    }
                }
                if (!inside.isEmpty()) {
                    Envelope tight = new Envelope();
                    inside.forEach(tight::expandToInclude);
                    sum += node(clipped, inside, tight);
                }
            }
        }
        return sum;
    }

    /** The square edge nearest the middle of {@code min..max} strictly inside it, or NaN when none is. */
    private static double split(double min, double max, List<Envelope> squares, boolean x) {
        double mid = (min + max) / 2;
        double best = Double.NaN;
        for (Envelope s : squares) {
            double edge = x ? s.getMinX() : s.getMinY();
            if (edge > min && edge < max && (Double.isNaN(best) || Math.abs(edge - mid) < Math.abs(best - mid))) {
                best = edge;
            }
        }
        return best;
    }
}
