package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/** Hand-computable answers: squares, circles, overlaps, holes, eligibility, units crossing reaches. */
class ArealCoverageTest {

    static final GeometryFactory F = new GeometryFactory();

    static Polygon box(double x0, double y0, double x1, double y1) {
        return F.createPolygon(new Coordinate[] {new Coordinate(x0, y0), new Coordinate(x1, y0), new Coordinate(x1, y1),
                new Coordinate(x0, y1), new Coordinate(x0, y0)});
    }

    /** 13 youth of each age 6..18: 169 in all. */
    static double[] flat() {
        double[] ages = new double[13];
        Arrays.fill(ages, 13);
        return ages;
    }

    static CensusUnit unit(String id, Geometry g) {
        return new CensusUnit(id, g, flat());
    }

    static ServiceReach reach(String id, Geometry g, int min, int max) {
        return new ServiceReach(id, g, min, max, 10, 0);
    }

    @Test
    void halfASquareCoveredIsHalfItsYouth() {
        ArealCoverage.Result r = ArealCoverage.compute(List.of(unit("u", box(0, 0, 10_000, 10_000))),
                List.of(reach("left", box(-5_000, -5_000, 5_000, 15_000), 6, 18)), 6, 18);
        assertThat(r.youth()).isEqualTo(169);
        assertThat(r.covered()).isCloseTo(84.5, within(1e-9));
        assertThat(r.areas().get(0).coveredAreaShare()).isCloseTo(0.5, within(1e-12));
        assertThat(r.areas().get(0).programsReaching()).isEqualTo(1);
    }

    @Test
    void aCircleCoversItsAreaShare() {
        // A 1 km circle (buffer with 64 segments a quadrant) inside a 10 km square: pi/100 of the land.
        Geometry circle = F.createPoint(new Coordinate(5_000, 5_000)).buffer(1_000, 64);
        ArealCoverage.Result r = ArealCoverage.compute(List.of(unit("u", box(0, 0, 10_000, 10_000))),
                List.of(reach("c", circle, 6, 18)), 6, 18);
        assertThat(r.covered() / 169).isCloseTo(Math.PI / 100, within(Math.PI / 100 * 1e-3));
    }

    @Test
    void overlappingReachesCountOnce() {
        ArealCoverage.Result r = ArealCoverage.compute(List.of(unit("u", box(0, 0, 10_000, 10_000))),
                List.of(reach("a", box(0, 0, 5_000, 10_000), 6, 18), reach("b", box(0, 0, 5_000, 10_000), 6, 18),
                        reach("c", box(2_500, 0, 7_500, 10_000), 6, 18)), 6, 18);
        // a and b are the same left half; c adds 2.5 km more: 75% of the land.
        assertThat(r.covered()).isCloseTo(169 * 0.75, within(1e-9));
        assertThat(r.areas().get(0).programsReaching()).isEqualTo(3);
    }

    @Test
    void holesAreNotLand() {
        Polygon donut = F.createPolygon(box(0, 0, 10_000, 10_000).getExteriorRing(),
                new org.locationtech.jts.geom.LinearRing[] {box(2_500, 2_500, 7_500, 7_500).getExteriorRing()});
        // Land 100 - 25 = 75 km²; a reach over the hole only covers nothing; one over the left half covers 37.5/75.
        assertThat(ArealCoverage.compute(List.of(unit("u", donut)),
                List.of(reach("hole", box(3_000, 3_000, 7_000, 7_000), 6, 18)), 6, 18).covered()).isZero();
        assertThat(ArealCoverage.compute(List.of(unit("u", donut)),
                List.of(reach("left", box(0, 0, 5_000, 10_000), 6, 18)), 6, 18).covered())
                .isCloseTo(169 * 0.5, within(1e-9));
    }

    @Test
    void onlyEligibleAgesAreCovered() {
        // Programs for 12-18 cover the whole unit: ages 12..18 (7 × 13 = 91) covered, 6..11 not.
        ArealCoverage.Result teens = ArealCoverage.compute(List.of(unit("u", box(0, 0, 1_000, 1_000))),
                List.of(reach("teens", box(-1, -1, 2_000, 2_000), 12, 18)), 6, 18);
        assertThat(teens.covered()).isCloseTo(91, within(1e-9));
        // A child program over the left half adds 6 ages × 13 × 0.5 = 39.
        ArealCoverage.Result both = ArealCoverage.compute(List.of(unit("u", box(0, 0, 1_000, 1_000))),
                List.of(reach("teens", box(-1, -1, 2_000, 2_000), 12, 18), reach("kids", box(0, 0, 500, 1_000), 6, 11)),
                6, 18);
        assertThat(both.covered()).isCloseTo(91 + 39, within(1e-9));
        // Asking only about 8-10 year olds: 3 ages × 13 = 39 youth, half covered.
        ArealCoverage.Result window = ArealCoverage.compute(List.of(unit("u", box(0, 0, 1_000, 1_000))),
                List.of(reach("teens", box(-1, -1, 2_000, 2_000), 12, 18), reach("kids", box(0, 0, 500, 1_000), 6, 11)),
                8, 10);
        assertThat(window.youth()).isEqualTo(39);
        assertThat(window.covered()).isCloseTo(19.5, within(1e-9));
    }

    @Test
    void aReachAcrossTwoUnitsCoversEachByItsShare() {
        List<CensusUnit> units = List.of(unit("west", box(0, 0, 10_000, 10_000)),
                unit("east", box(10_000, 0, 20_000, 10_000)));
        // 8 km wide straddling the border: 4 km into each (40% of each unit).
        ArealCoverage.Result r = ArealCoverage.compute(units, List.of(reach("x", box(6_000, 0, 14_000, 10_000), 6, 18)),
                6, 18);
        assertThat(r.areas().get(0).covered()).isCloseTo(169 * 0.4, within(1e-9));
        assertThat(r.areas().get(1).covered()).isCloseTo(169 * 0.4, within(1e-9));
        assertThat(r.ratio()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void gapsAreDissolvedAcrossUnitsAndRanked() {
        List<CensusUnit> units = List.of(unit("a", box(0, 0, 10_000, 10_000)), unit("b", box(10_000, 0, 20_000, 10_000)),
                new CensusUnit("far", box(50_000, 0, 52_000, 2_000), new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
        // Covered: the west half of a. Gap 1: east half of a + all of b (joined), 84.5 + 169 youth; gap 2: far.
        List<GapAreas.Gap> gaps = GapAreas.find(units, List.of(reach("w", box(0, 0, 5_000, 10_000), 6, 18)), 6, 18, 1);
        assertThat(gaps).hasSize(2);
        assertThat(gaps.get(0).unmetYouth()).isCloseTo(84.5 + 169, within(1e-6));
        assertThat(gaps.get(0).area()).isCloseTo(150e6, within(1e-3));
        assertThat(gaps.get(0).unitIds()).containsExactly("a", "b");
        assertThat(gaps.get(0).density()).isCloseTo(253.5 / 150, within(1e-9));
        assertThat(gaps.get(1).unitIds()).containsExactly("far");
        assertThat(gaps.get(1).unmetYouth()).isCloseTo(13, within(1e-9));
    }

    @Test
    void twoStepFloatingCatchmentByHand() {
        // Units A (100 youth) and B (300 youth); program P (40 places) reaches both, Q (10 places, waitlist 20)
        // reaches B only. R_P = 40 / 400 = 0.1; R_Q = 10 / (300 + 20) = 1/32.
        // A: 0.1 per youth = 100 per 1,000; B: 0.1 + 1/32 = 0.13125 = 131.25 per 1,000.
        double[] hundred = new double[13];
        double[] threeHundred = new double[13];
        Arrays.fill(hundred, 100.0 / 13);
        Arrays.fill(threeHundred, 300.0 / 13);
        List<CensusUnit> units = List.of(new CensusUnit("A", box(0, 0, 1_000, 1_000), hundred),
                new CensusUnit("B", box(1_000, 0, 2_000, 1_000), threeHundred));
        List<ServiceReach> reaches = List.of(new ServiceReach("P", box(-10, -10, 2_010, 1_010), 6, 18, 40, 0),
                new ServiceReach("Q", box(1_000, 0, 2_000, 1_000), 6, 18, 10, 20));
        TwoStepFloatingCatchment.Result r = TwoStepFloatingCatchment.compute(units, reaches, 6, 18);
        assertThat(r.areas().get(0).placesPer1000()).isCloseTo(100, within(1e-9));
        assertThat(r.areas().get(1).placesPer1000()).isCloseTo(131.25, within(1e-9));
        assertThat(r.placesPer1000()).isCloseTo((100 * 100 + 300 * 131.25) / 400, within(1e-9));
    }
}
