package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/** The vertex count a circle needs for an area tolerance, checked against the polygons JTS actually draws. */
class CircleVerticesTest {

    static final GeometryFactory F = new GeometryFactory();

    @Test
    void theHubsDefaultToleranceGives260VerticesAnd64VerticesMissAbout016Percent() {
        assertThat(CircleVertices.quadrantSegments(1e-4)).isEqualTo(65);
        assertThat(CircleVertices.vertices(1e-4)).isEqualTo(260);
        assertThat(CircleVertices.areaDeficit(64)).isCloseTo(0.0016, within(0.00002));
        assertThat(CircleVertices.areaDeficit(256)).isGreaterThan(1e-4);
        assertThat(CircleVertices.areaDeficit(260)).isLessThanOrEqualTo(1e-4);
    }

    /** The count is the fewest quarter-circle segments within the tolerance: one fewer would exceed it. */
    @ParameterizedTest
    @ValueSource(doubles = {CircleVertices.MIN_TOLERANCE, 3e-7, 1e-6, 1e-5, 5e-5, 1e-4, 1.6e-3, 1e-2, 0.1, 0.2,
            CircleVertices.MAX_TOLERANCE})
    void isTheFewestWithinTheTolerance(double tolerance) {
        int q = CircleVertices.quadrantSegments(tolerance);
        assertThat(CircleVertices.areaDeficit(4 * q)).isLessThanOrEqualTo(tolerance);
        if (q > 1) {
            assertThat(CircleVertices.areaDeficit(4 * (q - 1))).isGreaterThan(tolerance);
        }
    }

    @Test
    void seededTolerancesAcrossTheRangeGiveTheFewest() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            // Log-uniform over the accepted range.
            double tolerance = CircleVertices.MIN_TOLERANCE
                    * Math.pow(CircleVertices.MAX_TOLERANCE / CircleVertices.MIN_TOLERANCE, rnd.nextDouble());
            int q = CircleVertices.quadrantSegments(tolerance);
            assertThat(CircleVertices.areaDeficit(4 * q)).as("tolerance %s", tolerance).isLessThanOrEqualTo(tolerance);
            assertThat(q == 1 || CircleVertices.areaDeficit(4 * q - 4) > tolerance).as("tolerance %s", tolerance)
                    .isTrue();
        }
        assertThat(CircleVertices.quadrantSegments(CircleVertices.MIN_TOLERANCE)).isEqualTo(2_028);
        assertThat(CircleVertices.quadrantSegments(CircleVertices.MAX_TOLERANCE)).isEqualTo(1);
    }

    static Stream<Arguments> radiiAndTolerances() {
        return Stream.of(1e-4, 1e-5, 1.6e-3).flatMap(t -> Stream.of(1_000.0, 5_000.0, 25_000.0)
                .map(r -> Arguments.of(t, r)));
    }

    /**
     * The polygon JTS buffers with that many segments, at Lambert-sized coordinates, misses exactly the predicted
     * share of πr², within the tolerance; its edge lies the chord deviation inside the circle, its vertices on it.
     */
    @ParameterizedTest
    @MethodSource("radiiAndTolerances")
    void theDrawnPolygonMissesThePredictedShareOfTheDisc(double tolerance, double radius) {
        int q = CircleVertices.quadrantSegments(tolerance);
        Geometry circle = F.createPoint(new Coordinate(7_123_456.7, 1_234_567.8)).buffer(radius, q);
        assertThat(circle.getNumPoints() - 1).isEqualTo(4 * q);
        double disc = Math.PI * radius * radius;
        double deficit = 1 - circle.getArea() / disc;
        assertThat(deficit).isCloseTo(CircleVertices.areaDeficit(4 * q), within(1e-9));
        assertThat(deficit).isLessThanOrEqualTo(tolerance + 1e-9);
        DiscBounds b = DiscBounds.of(circle);
        assertThat(b.outer()).isCloseTo(radius, within(1e-5 * radius));
        assertThat(radius - b.inner()).isCloseTo(CircleVertices.chordDeviation(4 * q, radius), within(1e-6 * radius));
    }

    @Test
    void chordDeviationAtTypicalRadii() {
        // 64-gon: about 1.2 m at 1 km and 30 m at 25 km; the 0.01% polygon: 7 cm and 1.8 m.
        assertThat(CircleVertices.chordDeviation(64, 1_000)).isCloseTo(1.2045, within(1e-3));
        assertThat(CircleVertices.chordDeviation(64, 25_000)).isCloseTo(30.11, within(1e-2));
        assertThat(CircleVertices.chordDeviation(260, 1_000)).isCloseTo(0.0730, within(1e-3));
        assertThat(CircleVertices.chordDeviation(260, 25_000)).isCloseTo(1.825, within(1e-2));
        assertThat(CircleVertices.chordDeviation(260, 5_000))
                .isCloseTo(5_000 * (1 - Math.cos(Math.PI / 260)), within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1e-4, 9e-8, 0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void refusesTolerancesOutsideTheRangeNamingTheArgument(double tolerance) {
        assertThatThrownBy(() -> CircleVertices.quadrantSegments(tolerance))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("areaTolerance")
                .hasMessageContaining(String.valueOf(tolerance));
    }

    @Test
    void refusesPolygonsOfFewerThanThreeVertices() {
        assertThatThrownBy(() -> CircleVertices.areaDeficit(2)).hasMessageContaining("at least 3 vertices, got 2");
        assertThatThrownBy(() -> CircleVertices.chordDeviation(0, 1)).hasMessageContaining("got 0");
    }
}
