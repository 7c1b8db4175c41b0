package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.union.UnaryUnionOp;

class CoveredLandTest {

    static final GeometryFactory F = new GeometryFactory();
    static final int ALL_AGES = (1 << 13) - 1;

    static IndexedReach entry(ServiceReach r) {
        return new ReachIndex(List.of(r)).serving(6, 18).get(0);
    }

    @Test
    void twoOverlappingSquaresOverAUnitByHand() {
        // Unit: the 100 x 100 square; reach A covers its west half for ages 6-12, reach B its south half for 13-18.
        Geometry unit = ArealCoverageTest.box(0, 0, 100, 100);
        IndexedReach a = entry(new ServiceReach("a", ArealCoverageTest.box(-10, -10, 50, 110), 6, 12, 0, 0));
        IndexedReach b = entry(new ServiceReach("b", ArealCoverageTest.box(-10, -10, 110, 50), 13, 18, 0, 0));
        double[] out = CoveredLand.of(unit, new Envelope(0, 100, 0, 100), List.of(a, b), ALL_AGES, 0);
        assertThat(out[CoveredLand.LAND]).isCloseTo(10_000, within(1e-9));
        assertThat(out[1]).isCloseTo(5_000, within(1e-9));
        assertThat(out[1 + 12 - 6]).isCloseTo(5_000, within(1e-9));
        assertThat(out[1 + 18 - 6]).isCloseTo(5_000, within(1e-9));
        // Any age: the union of the two halves, three quarters.
        assertThat(out[CoveredLand.ANY]).isCloseTo(7_500, within(1e-9));
    }

    @Test
    void agesKnownCoveredTakeAllTheLandAndCountOnce() {
        Geometry unit = ArealCoverageTest.box(0, 0, 100, 100).difference(ArealCoverageTest.box(10, 10, 20, 20));
        IndexedReach a = entry(new ServiceReach("a", ArealCoverageTest.box(-10, -10, 50, 110), 6, 18, 0, 0));
        int age6 = 1;
        double[] out = CoveredLand.of(unit, new Envelope(0, 100, 0, 100), List.of(a), ALL_AGES, age6);
        assertThat(out[1]).isCloseTo(9_900, within(1e-9));
        assertThat(out[2]).isCloseTo(5_000 - 100, within(1e-9));
        assertThat(out[CoveredLand.ANY]).isCloseTo(9_900, within(1e-9));
    }

    static LongStream seeds() {
        return LongStream.range(1, 41);
    }

    /**
     * Against the definition with JTS alone, age by age: seeded units (holed, star-shaped, two-part) under a box,
     * crossed by up to 60 reaches (circles, duplicated circles sharing a site, unions of circles, holed and
     * star-shaped ones) with narrow and full age ranges: enough to force subdivision, the last level's overlay,
     * and every pruning. Half the instances have convex reaches only.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void equalsTheDefinitionAgeByAge(long seed) {
        Random rnd = new Random(seed);
        double side = 2_000 + rnd.nextDouble() * 8_000;
        double ox = (rnd.nextDouble() - 0.5) * 4e6;
        double oy = (rnd.nextDouble() - 0.5) * 4e6;
        Geometry unit = switch (rnd.nextInt(3)) {
            case 0 -> ReachGridTest.star(ox + side / 2, oy + side / 2, side * 0.7, rnd);
            case 1 -> ArealCoverageTest.box(ox - side * 0.2, oy, ox + side * 0.9, oy + side * 1.3)
                    .difference(F.createPoint(new Coordinate(ox + side / 3, oy + side / 2)).buffer(side / 5, 8));
            default -> ArealCoverageTest.box(ox, oy, ox + side * 0.4, oy + side)
                    .union(ReachGridTest.star(ox + side * 0.8, oy + side * 0.5, side * 0.3, rnd));
        };
        Envelope box = new Envelope(ox, ox + side, oy, oy + side);
        List<ServiceReach> reaches = new ArrayList<>();
        int count = 1 + rnd.nextInt(60);
        // Half the instances convex only, as most service areas are (one site's circle): those are measured by
        // subdivision and inclusion-exclusion without any overlay.
        boolean convexOnly = seed % 2 == 0;
        // Circles as 64-gons, or as the polygons of a 0.01% area tolerance (260-gons).
        int q = ReachGridTest.quadrantSegments(seed);
        for (int k = 0; k < count; k++) {
            double cx = ox + (rnd.nextDouble() * 1.4 - 0.2) * side;
            double cy = oy + (rnd.nextDouble() * 1.4 - 0.2) * side;
            double r = side * (0.05 + rnd.nextDouble() * 0.6);
            Geometry area = switch (convexOnly ? 3 + rnd.nextInt(2) * 2 : rnd.nextInt(7)) {
                case 0 -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q)
                        .union(F.createPoint(new Coordinate(cx + r, cy)).buffer(r * 0.7, q));
                case 1 -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q)
                        .difference(F.createPoint(new Coordinate(cx, cy)).buffer(r * 0.4, q));
                case 2 -> ReachGridTest.star(cx, cy, r, rnd);
                case 3 -> k > 0 ? reaches.get(k - 1).area() : F.createPoint(new Coordinate(cx, cy)).buffer(r, q);
                default -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q);
            };
            int min = rnd.nextInt(3) == 0 ? 6 + rnd.nextInt(10) : 6;
            int max = min == 6 ? 18 : Math.min(18, min + rnd.nextInt(6));
            reaches.add(new ServiceReach("r" + k, area, min, max, 0, 0));
        }
        int from = rnd.nextInt(3) == 0 ? 6 + rnd.nextInt(8) : 6;
        int to = from == 6 ? 18 : Math.min(18, from + rnd.nextInt(6));
        int window = 0;
        for (int a = from; a <= to; a++) {
            window |= 1 << (a - 6);
        }
        ReachIndex index = new ReachIndex(reaches);
        double[] out = CoveredLand.of(unit, box, index.serving(from, to), window, 0);

        Geometry piece = OverlayNGRobust.overlay(unit, F.toGeometry(box), OverlayNG.INTERSECTION);
        double tolerance = 1e-9 * side * side;
        assertThat(out[CoveredLand.LAND]).as("seed %d land", seed).isCloseTo(piece.getArea(), within(tolerance));
        List<Geometry> any = new ArrayList<>();
        for (int age = 6; age <= 18; age++) {
            int a = age;
            List<Geometry> serving = reaches.stream().filter(r -> r.serves(a) && a >= from && a <= to)
                    .map(ServiceReach::area).toList();
            any.addAll(serving);
            double expected = serving.isEmpty() ? 0
                    : OverlayNGRobust.overlay(piece, UnaryUnionOp.union(serving), OverlayNG.INTERSECTION).getArea();
            assertThat(out[1 + age - 6]).as("seed %d age %d", seed, age).isCloseTo(expected, within(tolerance));
        }
        double anyExpected = any.isEmpty() ? 0
                : OverlayNGRobust.overlay(piece, UnaryUnionOp.union(any), OverlayNG.INTERSECTION).getArea();
        assertThat(out[CoveredLand.ANY]).as("seed %d any age", seed).isCloseTo(anyExpected, within(tolerance));
    }
}
