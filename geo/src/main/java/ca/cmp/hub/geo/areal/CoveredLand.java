package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * A census unit's land inside a square window, and how much of it each age's reaches cover:
 * {@code area(unit ∩ box ∩ ⋃{r : r serves a})} for every counted age {@code a}, by adaptive subdivision.
 *
 * <p>Method: a node clips the unit's rings to its box (Sutherland–Hodgman) and sorts the reaches against it: the
 * disc bounds, or all four corners inside a convex reach, show it covered whole for that reach's ages; the outer
 * disc shows it missed. Ages covered whole take the node's land. Where at most {@link ConvexClipArea#MAX_CONVEX}
 * distinct convex reaches still cross the box, their union is measured by inclusion–exclusion over the clipped
 * rings, all ages at once (a subset of reaches counts for the ages every member serves); where more cross, the
 * box is split in four, down to {@link #MAX_DEPTH} levels. A box crossed by a non-convex reach (sorted by exact
 * predicates), or still crowded at the last level, is settled by JTS overlay and union, as before this class.
 * Reaches with identical geometry (programs sharing a site and radius) count as one, serving all their ages:
 * their common boundary could never be split apart.
 *
 * <p>Why: in a city a few-kilometre square of a census division is crossed by tens of service-area boundaries; a
 * robust union of that many pieces costs milliseconds, while a few levels of subdivision leave squares crossed by
 * one to three circles. Exact, as {@link ArealCoverage}'s definition (up to floating-point rounding of the sums);
 * the unit's rings valid (a hole's land is subtracted from its shell's). Planar coordinates, areas in m².
 */
final class CoveredLand {

    static final int MAX_DEPTH = 7;

    private static final int AGES = CensusUnit.LAST_AGE - CensusUnit.FIRST_AGE + 1;
    private static final GeometryFactory BOXES = new GeometryFactory();

    /** Index of the land in the result; covered area at age {@code a} is at {@code 1 + a - 6}; any age at 14. */
    static final int LAND = 0;
    static final int ANY = 1 + AGES;

    private CoveredLand() {
    }

    /** Distinct reach geometry, with every counted age some reach of that geometry serves. */
    private record Group(IndexedReach entry, int ages) {
    }

    /**
     * @param window  bit {@code a - 6} for each counted age
     * @param covered ages already known to be covered over the whole box (they take all its land)
     * @param reaches reaches that may meet the box (others are harmless)
     * @return {land, covered area per age 6..18, land covered at some counted age}
     */
    static double[] of(Geometry unit, Envelope box, List<IndexedReach> reaches, int window, int covered) {
        return of(unit, ConvexClipArea.Rings.of(unit), box, reaches, window, covered);
    }

    /** As above, with the unit's rings already taken out (callers measuring one unit in many boxes). */
    static double[] of(Geometry unit, ConvexClipArea.Rings rings, Envelope box, List<IndexedReach> reaches,
            int window, int covered) {
        double[] out = new double[ANY + 1];
        List<Group> groups = groups(reaches, window);
        new Walk(unit, window).node(box, rings, groups, covered & window, 0, 0, out);
        return out;
    }

    private static List<Group> groups(List<IndexedReach> reaches, int window) {
        Map<Object, int[]> ages = new LinkedHashMap<>();
        Map<Object, IndexedReach> first = new LinkedHashMap<>();
        for (IndexedReach e : reaches) {
            int mask = ages(e.reach()) & window;
            if (mask == 0) {
                continue;
            }
            Object key = e.convex() != null ? new ConvexKey(e.convex()) : e.reach().area().norm();
            first.putIfAbsent(key, e);
            ages.computeIfAbsent(key, k -> new int[1])[0] |= mask;
        }
        List<Group> groups = new ArrayList<>(first.size());
        first.forEach((key, e) -> groups.add(new Group(e, ages.get(key)[0])));
        return groups;
    }

    /** Equality of convex rings by their exact coordinates. */
    private record ConvexKey(ConvexClipArea.Convex c) {

        @Override
        public boolean equals(Object o) {
            return o instanceof ConvexKey k && Arrays.equals(c.x(), k.c.x()) && Arrays.equals(c.y(), k.c.y());
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(c.x()) + Arrays.hashCode(c.y());
        }
    }

    static int ages(ServiceReach r) {
        return CensusUnit.ageBits(r.minAge(), r.maxAge());
    }

    private record Walk(Geometry unit, int window) {

        /**
         * @param known     ages covered whole over this box, not yet counted (at the root only)
         * @param inherited ages an ancestor found covered whole (already counted with its land)
         */
        void node(Envelope box, ConvexClipArea.Rings rings, List<Group> candidates, int known, int inherited,
                int depth, double[] out) {
            ConvexClipArea.Rings clipped = rings.clip(ConvexClipArea.Convex.box(box));
            double land = clipped.land();
            if (land <= 0) {
                return;
            }
            if (depth == 0) {
                out[LAND] += land;
            }
            int covered = inherited | known;
            List<Group> crossing = new ArrayList<>();
            for (Group g : candidates) {
                if ((g.ages() & ~covered) == 0) {
                    continue;
                }
                DiscBounds b = g.entry().bounds();
                if (b.outerMisses(box)) {
                    continue;
                }
                if (b.innerContains(box) || cornersInside(g.entry().convex(), box)) {
                    covered |= g.ages();
                } else if (g.entry().convex() != null) {
                    crossing.add(g);
                } else {
                    // Not convex (a program's several sites, a drawn polygon): exact predicates instead.
                    Geometry boxGeometry = BOXES.toGeometry(box);
                    if (g.entry().prepared().contains(boxGeometry)) {
                        covered |= g.ages();
                    } else if (g.entry().prepared().intersects(boxGeometry)) {
                        crossing.add(g);
                    }
                }
            }
            int fresh = covered & ~inherited;
            for (int a = 0; a < AGES; a++) {
                if ((fresh & (1 << a)) != 0) {
                    out[1 + a] += land;
                }
            }
            if (inherited == 0 && covered != 0) {
                out[ANY] += land;
            }
            int rest = window() & ~covered;
            int finalCovered = covered;
            crossing.removeIf(g -> (g.ages() & ~finalCovered) == 0);
            if (rest == 0 || crossing.isEmpty()) {
                return;
            }
            boolean convex = true;
            for (int i = 0; i < crossing.size() && convex; i++) {
                convex = crossing.get(i).entry().convex() != null;
            }
            if (convex && crossing.size() <= ConvexClipArea.MAX_CONVEX) {
                subsets(clipped, crossing, 0, 0, window(), covered == 0, covered, out);
            } else if (convex && depth < MAX_DEPTH) {
                double mx = (box.getMinX() + box.getMaxX()) / 2;
                double my = (box.getMinY() + box.getMaxY()) / 2;
                for (Envelope child : new Envelope[] {new Envelope(box.getMinX(), mx, box.getMinY(), my),
                        new Envelope(mx, box.getMaxX(), box.getMinY(), my),
                        new Envelope(box.getMinX(), mx, my, box.getMaxY()),
                        new Envelope(mx, box.getMaxX(), my, box.getMaxY())}) {
                    node(child, clipped, crossing, 0, covered, depth + 1, out);
                }
            } else {
                overlay(box, crossing, covered, out);
            }
        }

        /**
         * Inclusion–exclusion over the crossing reaches: each subset's intersection with the land is added with
         * sign {@code (−1)^(|S|+1)} to every uncovered age all its members serve (and to any-age land when nothing
         * here is covered whole). Subsets whose intersection is empty are pruned with their supersets.
         */
        private void subsets(ConvexClipArea.Rings rings, List<Group> crossing, int next, int size, int served,
                boolean any, int covered, double[] out) {
            for (int j = next; j < crossing.size(); j++) {
                Group g = crossing.get(j);
                int ages = served & g.ages();
                if (!any && (ages & ~covered) == 0) {
                    // Counts for no uncovered age, and neither can any superset.
                    continue;
                }
                ConvexClipArea.Rings clipped = rings.clip(g.entry().convex());
                if (clipped.isEmpty()) {
                    continue;
                }
                double area = clipped.land();
                double signed = size % 2 == 0 ? area : -area;
                for (int a = 0; a < AGES; a++) {
                    if ((ages & ~covered & (1 << a)) != 0) {
                        out[1 + a] += signed;
                    }
                }
                if (any) {
                    out[ANY] += signed;
                }
                subsets(clipped, crossing, j + 1, size + 1, ages, any, covered, out);
            }
        }

        /** Below the last level: the piece by robust overlay, each age's union of pieces as the coverage does. */
        private void overlay(Envelope box, List<Group> crossing, int covered, double[] out) {
            Geometry piece = unit.getFactory().buildGeometry(PolygonExtracter.getPolygons(
                    OverlayNGRobust.overlay(unit, BOXES.toGeometry(box), OverlayNG.INTERSECTION)));
            double area = piece.getArea();
            if (area == 0) {
                return;
            }
            List<IndexedReach> entries = crossing.stream().map(Group::entry).toList();
            UnitClipper clipper = new UnitClipper(piece, entries, new Boolean[entries.size()]);
            for (int a = 0; a < AGES; a++) {
                if ((window() & ~covered & (1 << a)) == 0) {
                    continue;
                }
                BitSet set = new BitSet();
                for (int i = 0; i < crossing.size(); i++) {
                    if ((crossing.get(i).ages() & (1 << a)) != 0) {
                        set.set(i);
                    }
                }
                if (!set.isEmpty()) {
                    out[1 + a] += area * clipper.fraction(set);
                }
            }
            if (covered == 0) {
                BitSet all = new BitSet();
                all.set(0, crossing.size());
                out[ANY] += area * clipper.fraction(all);
            }
        }
    }

    /** A box is inside a convex polygon when its four corners are (strictly left of, or on, every edge). */
    private static boolean cornersInside(ConvexClipArea.Convex c, Envelope box) {
        if (c == null) {
            return false;
        }
        double[] xs = {box.getMinX(), box.getMaxX(), box.getMaxX(), box.getMinX()};
        double[] ys = {box.getMinY(), box.getMinY(), box.getMaxY(), box.getMaxY()};
        int m = c.x().length;
        for (int e = 0; e < m; e++) {
            double ex = c.x()[e];
            double ey = c.y()[e];
            double dx = c.x()[(e + 1) % m] - ex;
            double dy = c.y()[(e + 1) % m] - ey;
            double tolerance = 1e-12 * (Math.abs(dx) + Math.abs(dy)) * (Math.abs(dx) + Math.abs(dy) + 1);
            for (int k = 0; k < 4; k++) {
                if (dx * (ys[k] - ey) - dy * (xs[k] - ex) < tolerance) {
                    return false;
                }
            }
        }
        return true;
    }
}
