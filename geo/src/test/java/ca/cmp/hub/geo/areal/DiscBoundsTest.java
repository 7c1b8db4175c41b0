package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.util.AffineTransformation;

/**
 * The disc bounds of circles drawn for an area tolerance: they hold the polygon between them, are as tight as its
 * chord deviation allows, and their inner disc only ever proves meetings JTS agrees with.
 */
class DiscBoundsTest {

    static final GeometryFactory F = new GeometryFactory();

    static LongStream seeds() {
        return LongStream.range(1, 21);
    }

    /**
     * A circle of the tolerance's vertices at Lambert-sized coordinates, slightly sheared and rotated the way a
     * reprojection from the buffer's UTM zone to EPSG:3347 moves its vertices (scale differences of 10⁻³).
     */
    static Geometry drawnCircle(Random rnd, double tolerance, double radius) {
        double cx = 6_000_000 + rnd.nextDouble() * 3_000_000;
        double cy = 700_000 + rnd.nextDouble() * 2_000_000;
        Geometry circle = F.createPoint(new Coordinate(cx, cy))
                .buffer(radius, CircleVertices.quadrantSegments(tolerance));
        AffineTransformation skew = AffineTransformation.rotationInstance(rnd.nextDouble() * 0.05, cx, cy)
                .scale(1 + (rnd.nextDouble() - 0.5) * 1e-3, 1 + (rnd.nextDouble() - 0.5) * 1e-3);
        return skew.transform(circle);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void holdTheDrawnPolygonBetweenThemAndAreTight(long seed) {
        Random rnd = new Random(seed);
        double tolerance = seed % 2 == 0 ? 1e-4 : 1e-5;
        double radius = 1_000 * Math.pow(25, rnd.nextDouble());
        Geometry circle = drawnCircle(rnd, tolerance, radius);
        DiscBounds b = DiscBounds.of(circle);
        for (Coordinate c : circle.getCoordinates()) {
            assertThat(Math.hypot(c.x - b.x(), c.y - b.y())).isLessThanOrEqualTo(b.outer());
        }
        for (int i = 0; i < 500; i++) {
            double a = rnd.nextDouble() * 2 * Math.PI;
            Coordinate onInner = new Coordinate(b.x() + b.inner() * Math.cos(a), b.y() + b.inner() * Math.sin(a));
            assertThat(circle.covers(F.createPoint(onInner))).as("seed %d: inner disc inside", seed).isTrue();
        }
        // Tight: the ring between the discs is the chord deviation, widened only by the skew (10⁻³ of the radius
        // at most) and the 10⁻⁹ margins; far thinner than a 64-gon's.
        int n = CircleVertices.vertices(tolerance);
        assertThat(b.slack()).isLessThanOrEqualTo(CircleVertices.chordDeviation(n, radius) + 1.2e-3 * radius);
        assertThat(b.outer()).isBetween(radius * (1 - 6e-4), radius * (1 + 6e-4));
    }

    @Test
    void aRegularPolygonsBoundsAreItsCircumradiusAndApothem() {
        for (double tolerance : new double[] {1e-4, 1e-5, 1e-6}) {
            int n = CircleVertices.vertices(tolerance);
            Geometry circle = F.createPoint(new Coordinate(7_000_000, 1_000_000))
                    .buffer(5_000, CircleVertices.quadrantSegments(tolerance));
            DiscBounds b = DiscBounds.of(circle);
            assertThat(b.x()).isCloseTo(7_000_000, within(1e-6));
            assertThat(b.outer()).isCloseTo(5_000, within(1e-4));
            assertThat(b.inner()).isCloseTo(5_000 * Math.cos(Math.PI / n), within(1e-4));
        }
    }

    /** Whenever the inner disc says a unit meets the area, JTS says so too; and it says so for most units across it. */
    @ParameterizedTest
    @MethodSource("seeds")
    void innerDiscMeetingsAgreeWithJts(long seed) {
        Random rnd = new Random(seed);
        Geometry circle = drawnCircle(rnd, seed % 2 == 0 ? 1e-4 : 1.6e-3, 2_000 + rnd.nextDouble() * 18_000);
        DiscBounds b = DiscBounds.of(circle);
        int proved = 0;
        int trials = 2_000;
        for (int t = 0; t < trials; t++) {
            double a = rnd.nextDouble() * 2 * Math.PI;
            double d = b.outer() * (0.98 + rnd.nextDouble() * 0.04);
            double ux = b.x() + d * Math.cos(a);
            double uy = b.y() + d * Math.sin(a);
            double s = 20 + rnd.nextDouble() * 400;
            Geometry unit = t % 2 == 0 ? F.toGeometry(new Envelope(ux - s / 2, ux + s / 2, uy - s / 2, uy + s / 2))
                    : F.createPolygon(new Coordinate[] {new Coordinate(ux, uy), new Coordinate(ux + s, uy),
                            new Coordinate(ux, uy + s), new Coordinate(ux, uy)});
            if (b.innerMeets(unit, unit.getEnvelopeInternal())) {
                proved++;
                assertThat(circle.intersects(unit)).as("seed %d trial %d", seed, t).isTrue();
            }
        }
        assertThat(proved).isGreaterThan(trials / 5);
    }
}
