package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.AffineTransformation;

/** Whenever the separating-axis test answers, it answers as JTS' {@code intersects} does. */
class SeparatingAxisTest {

    static final GeometryFactory F = new GeometryFactory();

    /**
     * Circles (64-gons, and 260-gons as a 0.01% area tolerance draws them, at Lambert-sized coordinates) against
     * cells and random convex quads placed across their edge, including cells sharing an edge or a corner exactly
     * with another cell.
     */
    @Test
    void answersAsJtsIntersects() {
        Random rnd = new Random(42);
        int answered = 0;
        int met = 0;
        int missed = 0;
        int trials = 40_000;
        for (int t = 0; t < trials; t++) {
            double cx = 7_000_000 + rnd.nextDouble() * 1_000;
            double cy = 1_000_000 + rnd.nextDouble() * 1_000;
            double r = 2_000 + rnd.nextDouble() * 18_000;
            int q = (t / 3) % 2 == 0 ? 16 : CircleVertices.quadrantSegments(1e-4);
            Geometry circle = F.createPoint(new Coordinate(cx, cy)).buffer(r, q);
            double angle = rnd.nextDouble() * 2 * Math.PI;
            double d = r * (0.97 + rnd.nextDouble() * 0.06);
            double ux = cx + d * Math.cos(angle);
            double uy = cy + d * Math.sin(angle);
            Geometry unit = switch (t % 3) {
                case 0 -> box(ux, uy, 100 + rnd.nextDouble() * 400);
                case 1 -> quad(ux, uy, 50 + rnd.nextDouble() * 400, rnd);
                default -> circle;
            };
            Geometry other = t % 3 == 2 ? box(ux, uy, 300) : circle;
            check(other, unit);
            Boolean answer = answer(other, unit);
            if (answer != null) {
                answered++;
                if (answer) {
                    met++;
                } else {
                    missed++;
                }
            }
        }
        // Both outcomes occur, and rounding leaves almost nothing to JTS.
        assertThat(met).isGreaterThan(trials / 10);
        assertThat(missed).isGreaterThan(trials / 10);
        assertThat(answered).isGreaterThan(trials * 99 / 100);
    }

    /** Cells of one lattice share edges and corners exactly: they meet (or JTS is asked), never "disjoint". */
    @Test
    void touchingCellsMeet() {
        double s = 400;
        for (int i = -1; i <= 1; i++) {
            for (int j = -1; j <= 1; j++) {
                Geometry a = box(7_000_000 + 200, 1_000_000 + 200, s);
                Geometry b = box(7_000_000 + 200 + i * s, 1_000_000 + 200 + j * s, s);
                assertThat(a.intersects(b)).isTrue();
                assertThat(answer(a, b)).isNotEqualTo(Boolean.FALSE);
            }
        }
        Geometry a = box(7_000_000, 1_000_000, s);
        Geometry apart = box(7_000_000 + s + 1e-3, 1_000_000, s);
        assertThat(answer(a, apart)).isFalse();
    }

    @Test
    void notConvexRingsAreRefused() {
        Polygon l = F.createPolygon(new Coordinate[] {new Coordinate(0, 0), new Coordinate(2, 0), new Coordinate(2, 1),
                new Coordinate(1, 1), new Coordinate(1, 2), new Coordinate(0, 2), new Coordinate(0, 0)});
        assertThat(SeparatingAxis.convexRing(l)).isNull();
        assertThat(SeparatingAxis.convexRing(F.createMultiPolygon(new Polygon[] {(Polygon) box(0, 0, 1)}))).isNotNull();
        assertThat(SeparatingAxis.convexRing(box(0, 0, 1).difference(box(0, 0, 0.5)))).isNull();
    }

    private static void check(Geometry a, Geometry b) {
        Boolean answer = answer(a, b);
        if (answer != null) {
            assertThat(answer).as("%s vs %s", a, b).isEqualTo(a.intersects(b));
        }
    }

    private static Boolean answer(Geometry a, Geometry b) {
        ConvexClipArea.Convex ca = SeparatingAxis.convexRing(a);
        ConvexClipArea.Convex cb = SeparatingAxis.convexRing(b);
        assertThat(ca).isNotNull();
        assertThat(cb).isNotNull();
        return SeparatingAxis.meets(ca, cb);
    }

    private static Geometry box(double cx, double cy, double side) {
        return ArealCoverageTest.box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2);
    }

    /** A rotated, sheared square: convex, four vertices. */
    private static Geometry quad(double cx, double cy, double side, Random rnd) {
        Geometry g = box(0, 0, side);
        AffineTransformation t = new AffineTransformation().shear(rnd.nextDouble() * 0.5, 0)
                .rotate(rnd.nextDouble() * Math.PI).translate(cx, cy);
        return t.transform(g);
    }
}
