package ca.cmp.hub.geo.expansion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.ServiceReach;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.junit.jupiter.api.Test;

class DemandCellsTest {

    static final GeometryFactory F = new GeometryFactory();

    static double[] perAge(double each) {
        double[] ages = new double[13];
        Arrays.fill(ages, each);
        return ages;
    }

    static Geometry square(double x0, double y0, double side) {
        return F.toGeometry(new Envelope(x0, x0 + side, y0, y0 + side));
    }

    @Test
    void keepsEachUnitsYouthAndRemovesWhatExistingProgramsReach() {
        // 10 km square, 100 youth per age (1,300 aged 6-18); an existing program covers its west half for ages
        // 6-12 only.
        CensusUnit unit = new CensusUnit("A", square(0, 0, 10_000), perAge(100));
        ServiceReach west = new ServiceReach("p", square(0, 0, 5_000).union(square(0, 5_000, 5_000)), 6, 12, 10, 0);
        Demand all = DemandCells.rasterize(List.of(unit), List.of(), 6, 18, 250);
        assertThat(all.size()).isEqualTo(1600);
        assertThat(all.total()).isCloseTo(1300, within(1e-6));
        Demand left = DemandCells.rasterize(List.of(unit), List.of(west), 6, 18, 250);
        // West half: ages 13-18 only (600 x 0.5); east half: all ages (1,300 x 0.5).
        assertThat(left.total()).isCloseTo(300 + 650, within(1e-6));
        assertThat(DemandCells.rasterize(List.of(unit), List.of(west), 8, 10, 250).total())
                .isCloseTo(150, within(1e-6));
    }

    @Test
    void aUnitSmallerThanACellIsOnePointWithAllItsYouth() {
        CensusUnit tiny = new CensusUnit("T", square(10, 10, 50), perAge(2));
        Demand demand = DemandCells.rasterize(List.of(tiny), List.of(), 6, 18, 250);
        assertThat(demand.size()).isEqualTo(1);
        assertThat(demand.total()).isCloseTo(26, within(1e-9));
    }

    @Test
    void newlyCoveredYouthOnCellsAgreeWithExactArealWeightingWithinOnePercent() {
        // An irregular unit (a rotated square with a hole) and a 3 km disc off its centre.
        Geometry outer = F.createPolygon(new Coordinate[] {new Coordinate(0, 7000), new Coordinate(7000, 0),
                new Coordinate(14000, 7000), new Coordinate(7000, 14000), new Coordinate(0, 7000)});
        Geometry unitGeometry = outer.difference(square(6000, 6000, 1500));
        CensusUnit unit = new CensusUnit("U", unitGeometry, perAge(500));
        Demand demand = DemandCells.rasterize(List.of(unit), List.of(), 6, 18, 250);
        double radius = 3000;
        double[] cx = {5200};
        double[] cy = {8100};
        double cells = MaximalCoveringLocation.solve(demand, cx, cy, radius, 1).covered();
        Geometry disc = F.createPoint(new Coordinate(cx[0], cy[0])).buffer(radius, 64);
        double exact = 6500 * unitGeometry.intersection(disc).getArea() / unitGeometry.getArea();
        assertThat(Math.abs(cells - exact) / exact).as("cells %.1f vs exact %.1f", cells, exact).isLessThan(0.01);
    }
}
