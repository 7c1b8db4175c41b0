package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * The grid, the disc bounds and the clipping arithmetic are only shortcuts: on seeded random instances, every
 * unit's figures equal the definition computed with JTS overlay and union alone, and the disc bounds really bound.
 */
class ReachGridTest {

    static final GeometryFactory F = new GeometryFactory();

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 1_000L + i);
    }

    /**
     * Small square and irregular units on a lattice, a few large units; reaches of every shape the hub builds:
     * circles (64-gons, or in half the instances the polygons of the 0.01% area tolerance), unions of two circles,
     * a polygon with a hole, an irregular star, some with narrow ages.
     */
    static Instance instance(long seed) {
        Random rnd = new Random(seed);
        int q = quadrantSegments(seed);
        List<CensusUnit> units = new ArrayList<>();
        double cell = 200 + rnd.nextInt(400);
        int n = 20 + rnd.nextInt(15);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = i * cell;
                double y = j * cell;
                Geometry g = rnd.nextInt(4) == 0 ? triangleAndSquare(x, y, cell) : ArealCoverageTest.box(x, y,
                        x + cell, y + cell);
                units.add(new CensusUnit("u" + i + "-" + j, g, ages(rnd)));
            }
        }
        // Large units beside the lattice, too big for the small-unit grid (summed bucket by bucket): a square with a
        // hole, two disjoint parts, and the last two plain rectangles.
        double side = n * cell;
        Geometry holed = ArealCoverageTest.box(-side * 0.7, 0, -side * 0.05, side)
                .difference(ArealCoverageTest.box(-side * 0.5, side * 0.3, -side * 0.2, side * 0.6));
        units.add(new CensusUnit("big-holed", holed, ages(rnd)));
        units.add(new CensusUnit("big-parts", F.createMultiPolygon(new Polygon[] {
                ArealCoverageTest.box(0, -side * 0.6, side * 0.4, -side * 0.05),
                ArealCoverageTest.box(side * 0.6, -side * 0.6, side, -side * 0.05)}), ages(rnd)));
        units.add(new CensusUnit("big-east", ArealCoverageTest.box(side, 0, side * 1.6, side), ages(rnd)));
        units.add(new CensusUnit("big-north", ArealCoverageTest.box(0, side, side * 1.6, side * 1.4), ages(rnd)));
        List<ServiceReach> reaches = new ArrayList<>();
        int count = 10 + rnd.nextInt(60);
        for (int k = 0; k < count; k++) {
            double cx = rnd.nextDouble() * side * 1.5;
            double cy = rnd.nextDouble() * side * 1.3;
            double r = cell * (0.5 + rnd.nextDouble() * 8);
            Geometry area = switch (rnd.nextInt(6)) {
                case 0 -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q)
                        .union(F.createPoint(new Coordinate(cx + r * 1.5, cy)).buffer(r * 0.7, q));
                case 1 -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q)
                        .difference(F.createPoint(new Coordinate(cx, cy)).buffer(r * 0.4, q));
                case 2 -> star(cx, cy, r, rnd);
                case 3 -> F.createPoint(new Coordinate(cx + 3 * r, cy)).buffer(r, q)
                        .union(F.createPoint(new Coordinate(cx - 3 * r, cy)).buffer(r, q));
                default -> F.createPoint(new Coordinate(cx, cy)).buffer(r, q);
            };
            int min = rnd.nextInt(3) == 0 ? 6 + rnd.nextInt(10) : 6;
            int max = min == 6 ? 18 : Math.min(18, min + rnd.nextInt(6));
            reaches.add(new ServiceReach("r" + k, area, min, max, 10, 0));
        }
        if (rnd.nextInt(3) == 0) {
            // A region-sized reach (a virtual program's whole region): too big for the bucket grid.
            reaches.add(new ServiceReach("region", ArealCoverageTest.box(-side * 15, -side * 15, side * 16,
                    side * 0.2), 12, 18, 10, 0));
        }
        int from = rnd.nextInt(4) == 0 ? 6 + rnd.nextInt(6) : 6;
        int to = from == 6 ? 18 : Math.min(18, from + 3 + rnd.nextInt(5));
        if (seed % 2 == 0) {
            // Negative coordinates and bucket lines falling anywhere.
            AffineTransformation shift = AffineTransformation.translationInstance(-3.7e6 - rnd.nextDouble() * 1e4,
                    -1.3e6 - rnd.nextDouble() * 1e4);
            units = units.stream().map(u -> new CensusUnit(u.id(), shift.transform(u.geometry()), u.youthByAge()))
                    .toList();
            reaches = reaches.stream().map(r -> new ServiceReach(r.id(), shift.transform(r.area()), r.minAge(),
                    r.maxAge(), r.places(), r.waitlist())).toList();
        }
        return new Instance(units, reaches, from, to);
    }

    /** Half the seeds draw circles as 64-gons, half with the vertices of a 0.01% area tolerance (260). */
    static int quadrantSegments(long seed) {
        return (seed / 2) % 2 == 0 ? 16 : CircleVertices.quadrantSegments(1e-4);
    }

    record Instance(List<CensusUnit> units, List<ServiceReach> reaches, int from, int to) {
    }

    static double[] ages(Random rnd) {
        double[] a = new double[13];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextInt(20);
        }
        return a;
    }

    /** A unit that is not a rectangle but has a rectangular envelope: the envelope tests alone would lie. */
    static Geometry triangleAndSquare(double x, double y, double cell) {
        return F.createPolygon(new Coordinate[] {new Coordinate(x, y), new Coordinate(x + cell, y),
                new Coordinate(x, y + cell), new Coordinate(x, y)});
    }

    static Polygon star(double cx, double cy, double r, Random rnd) {
        Coordinate[] ring = new Coordinate[25];
        for (int i = 0; i < 24; i++) {
            double a = 2 * Math.PI * i / 24;
            double rr = r * (i % 2 == 0 ? 1 : 0.3 + rnd.nextDouble() * 0.5);
            ring[i] = new Coordinate(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
        }
        ring[24] = ring[0];
        return F.createPolygon(ring);
    }

    /**
     * The definition, computed the plain way with JTS alone: per age, the area of the unit inside the union of the
     * reaches serving that age, by robust overlay.
     */
    static AreaFigures byDefinition(CensusUnit u, List<ServiceReach> reaches, int from, int to) {
        List<ServiceReach> meeting = reaches.stream().filter(r -> r.maxAge() >= from && r.minAge() <= to)
                .filter(r -> r.area().getEnvelopeInternal().intersects(u.geometry().getEnvelopeInternal()))
                .filter(r -> r.area().intersects(u.geometry())).toList();
        // Each reach's part of the unit once, and the union of the parts once per distinct set of reaches serving
        // an age (most ages share one): the same overlays as age by age, without doing them thirteen times.
        Map<ServiceReach, Geometry> part = new LinkedHashMap<>();
        for (ServiceReach r : meeting) {
            part.put(r, OverlayNGRobust.overlay(r.area(), u.geometry(), OverlayNG.INTERSECTION));
        }
        Map<List<ServiceReach>, Double> unionArea = new HashMap<>();
        double covered = 0;
        Set<ServiceReach> any = new LinkedHashSet<>();
        for (int age = from; age <= to; age++) {
            int a = age;
            List<ServiceReach> serving = meeting.stream().filter(r -> r.serves(a)).toList();
            any.addAll(serving);
            double area = serving.isEmpty() ? 0 : unionArea.computeIfAbsent(serving, s -> OverlayNGRobust.union(
                    s.stream().map(part::get).toList()).getArea());
            covered += u.youthByAge()[age - CensusUnit.FIRST_AGE] * area / u.geometry().getArea();
        }
        List<ServiceReach> anyAge = meeting.stream().filter(any::contains).toList();
        double share = anyAge.isEmpty() ? 0 : unionArea.computeIfAbsent(anyAge, s -> OverlayNGRobust.union(
                s.stream().map(part::get).toList()).getArea()) / u.geometry().getArea();
        return new AreaFigures(u.id(), u.youth(from, to), covered, share, meeting.size());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void figuresEqualTheDefinitionComputedWithJtsAlone(long seed) {
        Instance in = instance(seed);
        ArealCoverage.Result byGrid = ArealCoverage.compute(in.units(), in.reaches(), in.from(), in.to());
        ReachIndex index = new ReachIndex(in.reaches());
        for (int i = 0; i < in.units().size(); i++) {
            CensusUnit u = in.units().get(i);
            AreaFigures expected = byDefinition(u, in.reaches(), in.from(), in.to());
            AreaFigures byIndex = ArealCoverage.evaluate(u, index, in.from(), in.to());
            assertThat(byIndex.programsReaching()).isEqualTo(expected.programsReaching());
            assertThat(byIndex.covered()).isCloseTo(expected.covered(), within(1e-7 * Math.max(1, expected.youth())));
            AreaFigures actual = byGrid.areas().get(i);
            assertThat(actual.programsReaching()).as("programs reaching %s (seed %d)", u.id(), seed)
                    .isEqualTo(expected.programsReaching());
            assertThat(actual.covered()).as("covered youth of %s (seed %d)", u.id(), seed)
                    .isCloseTo(expected.covered(), within(1e-7 * Math.max(1, expected.youth())));
            assertThat(actual.coveredAreaShare()).as("covered share of %s (seed %d)", u.id(), seed)
                    .isCloseTo(expected.coveredAreaShare(), within(1e-7));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theGridSettlesTheSmallUnitsAndLeavesTheLargeOnes(long seed) {
        Instance in = instance(seed);
        ReachIndex index = new ReachIndex(in.reaches());
        ReachGrid grid = ReachGrid.build(in.units(), index.serving(in.from(), in.to()), in.from(), in.to());
        long onGrid = in.units().stream().filter(u -> grid.meeting(u) != null).count();
        for (int i = 1; i <= 4; i++) {
            assertThat(grid.meeting(in.units().get(in.units().size() - i))).isNull();
        }
        // Every lattice unit has the same size: all of them fit.
        assertThat(onGrid).isEqualTo(in.units().size() - 4);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void discBoundsHoldTheAreaBetweenThem(long seed) {
        Instance in = instance(seed);
        Random rnd = new Random(seed);
        for (ServiceReach r : in.reaches()) {
            DiscBounds b = DiscBounds.of(r.area());
            for (Coordinate c : r.area().getCoordinates()) {
                assertThat(Math.hypot(c.x - b.x(), c.y - b.y())).isLessThanOrEqualTo(b.outer());
            }
            for (int i = 0; b.inner() > 0 && i < 200; i++) {
                double a = rnd.nextDouble() * 2 * Math.PI;
                double d = b.inner() * Math.sqrt(rnd.nextDouble());
                Geometry p = F.createPoint(new Coordinate(b.x() + d * Math.cos(a), b.y() + d * Math.sin(a)));
                assertThat(r.area().covers(p)).as("%s: a point of the inner disc lies in the area", r.id()).isTrue();
            }
        }
    }

    @Test
    void aCircleIsBoundedTightlyAndACircleWithAHoleAtItsCentreNotFromInside() {
        Geometry circle = F.createPoint(new Coordinate(0, 0)).buffer(10_000, 16);
        DiscBounds b = DiscBounds.of(circle);
        assertThat(b.outer()).isCloseTo(10_000, within(1e-3));
        // A 64-gon's inradius: r cos(pi/64).
        assertThat(b.inner()).isCloseTo(10_000 * Math.cos(Math.PI / 64), within(1e-3));
        Geometry ring = circle.difference(F.createPoint(new Coordinate(0, 0)).buffer(2_000, 16));
        assertThat(DiscBounds.of(ring).inner()).isZero();
    }

    @Test
    void aUnitMovedAcrossBucketsKeepsItsFigures() {
        // The same unit and reaches, shifted by fractions of a bucket: the answer cannot depend on where bucket
        // lines fall.
        Geometry unit = ArealCoverageTest.box(0, 0, 400, 400);
        Geometry reach = F.createPoint(new Coordinate(5_000, 200)).buffer(4_900, 16);
        double expected = -1;
        for (int s = 0; s < 20; s++) {
            AffineTransformation shift = AffineTransformation.translationInstance(s * 137.3, s * 59.1);
            List<CensusUnit> units = List.of(new CensusUnit("u", shift.transform(unit), ArealCoverageTest.flat()));
            ArealCoverage.Result r = ArealCoverage.compute(units,
                    List.of(new ServiceReach("r", shift.transform(reach), 6, 18, 0, 0)), 6, 18);
            if (expected < 0) {
                expected = r.covered();
                assertThat(expected).isStrictlyBetween(0.0, 169.0);
            }
            assertThat(r.covered()).isCloseTo(expected, within(1e-6));
            assertThat(r.areas().get(0).programsReaching()).isEqualTo(1);
        }
    }
}
