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
import org.locationtech.jts.geom.util.AffineTransformation;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

class GridCellLandTest {

    static final GeometryFactory F = new GeometryFactory();

    @Test
    void aSquareAcrossFourCellsSplitsByHand() {
        // 400 m square from (200, 200): a quarter in each of the four 400 m cells around (400, 400).
        Geometry square = F.toGeometry(new Envelope(200, 600, 200, 600));
        List<GridCellLand.Cell> cells = GridCellLand.of(square, 400);
        assertThat(cells).hasSize(4);
        assertThat(cells.get(0).i()).isZero();
        assertThat(cells.get(0).j()).isZero();
        assertThat(cells.get(0).area()).isCloseTo(40_000, within(1e-6));
        assertThat(cells.get(0).x()).isCloseTo(300, within(1e-9));
        assertThat(cells.get(0).y()).isCloseTo(300, within(1e-9));
        assertThat(cells.get(3).i()).isEqualTo(1);
        assertThat(cells.get(3).j()).isEqualTo(1);
        assertThat(cells.get(3).x()).isCloseTo(500, within(1e-9));
    }

    @Test
    void wholeCellsComeOutAtTheirCentresAndAHoleIsSubtracted() {
        Geometry holed = F.toGeometry(new Envelope(-1000, 1000, -1000, 1000))
                .difference(F.toGeometry(new Envelope(-100, 100, -100, 100)));
        List<GridCellLand.Cell> cells = GridCellLand.of(holed, 250);
        assertThat(cells).hasSize(64);
        assertThat(cells.stream().mapToDouble(GridCellLand.Cell::area).sum()).isCloseTo(holed.getArea(),
                within(1e-6));
        GridCellLand.Cell corner = cells.get(0);
        assertThat(corner.area()).isEqualTo(250.0 * 250);
        assertThat(corner.x()).isEqualTo(-875.0);
        assertThat(corner.y()).isEqualTo(-875.0);
        // The cell just north-east of the origin loses the hole's quarter, 100 x 100.
        GridCellLand.Cell ne = cells.stream().filter(c -> c.i() == 0 && c.j() == 0).findFirst().orElseThrow();
        assertThat(ne.area()).isCloseTo(250.0 * 250 - 100 * 100, within(1e-6));
    }

    static LongStream seeds() {
        return LongStream.range(1, 31);
    }

    /**
     * Against the definition, cell by cell: JTS's robust overlay of each grid cell with the polygon. Seeded
     * instances mix star-shaped (non-convex) rings, rotated squares, holes, several parts, negative coordinates and
     * cells from far smaller than the polygon to larger than it.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void equalsTheOverlayOfEveryCell(long seed) {
        Random rnd = new Random(seed);
        Geometry g = polygon(rnd);
        double size = new double[] {37, 120, 250, 400, 2_000}[rnd.nextInt(5)];
        List<GridCellLand.Cell> cells = GridCellLand.of(g, size);
        List<GridCellLand.Cell> reference = reference(g, size);
        assertThat(cells).as("seed %d", seed).hasSameSizeAs(reference);
        for (int k = 0; k < cells.size(); k++) {
            GridCellLand.Cell c = cells.get(k);
            GridCellLand.Cell r = reference.get(k);
            assertThat(c.i()).isEqualTo(r.i());
            assertThat(c.j()).isEqualTo(r.j());
            double tolerance = 1e-7 * size * size;
            assertThat(c.area()).as("seed %d cell %d,%d", seed, c.i(), c.j()).isCloseTo(r.area(), within(tolerance));
            assertThat(c.x()).isCloseTo(r.x(), within(1e-6 * size));
            assertThat(c.y()).isCloseTo(r.y(), within(1e-6 * size));
        }
        assertThat(cells.stream().mapToDouble(GridCellLand.Cell::area).sum()).isCloseTo(g.getArea(),
                within(1e-9 * g.getArea()));
    }

    static List<GridCellLand.Cell> reference(Geometry g, double size) {
        Envelope env = g.getEnvelopeInternal();
        List<GridCellLand.Cell> out = new ArrayList<>();
        for (long i = (long) Math.floor(env.getMinX() / size); i <= (long) Math.floor(env.getMaxX() / size); i++) {
            for (long j = (long) Math.floor(env.getMinY() / size); j <= (long) Math.floor(env.getMaxY() / size); j++) {
                Geometry cell = F.toGeometry(new Envelope(i * size, (i + 1) * size, j * size, (j + 1) * size));
                Geometry part = OverlayNGRobust.overlay(cell, g, OverlayNG.INTERSECTION);
                // Slivers the overlay leaves of a vertex touching a cell's side are not land.
                if (part.getArea() > 1e-9 * size * size) {
                    out.add(new GridCellLand.Cell(i, j, part.getArea(), part.getCentroid().getX(),
                            part.getCentroid().getY()));
                }
            }
        }
        return out;
    }

    static Geometry polygon(Random rnd) {
        double ox = (rnd.nextDouble() - 0.5) * 2e6;
        double oy = (rnd.nextDouble() - 0.5) * 2e6;
        double r = 300 + rnd.nextDouble() * 6_000;
        Geometry g = switch (rnd.nextInt(3)) {
            case 0 -> star(ox, oy, r, 5 + rnd.nextInt(40), rnd);
            case 1 -> AffineTransformation.rotationInstance(rnd.nextDouble() * Math.PI, ox, oy)
                    .transform(F.toGeometry(new Envelope(ox - r, ox + r, oy - r * 0.6, oy + r * 0.6)));
            default -> star(ox, oy, r, 8, rnd).union(star(ox + 3 * r, oy, r / 2, 12, rnd));
        };
        if (rnd.nextBoolean()) {
            g = g.difference(F.createPoint(new Coordinate(ox, oy)).buffer(r * 0.2, 6));
        }
        return g;
    }

    static Geometry star(double ox, double oy, double r, int points, Random rnd) {
        Coordinate[] ring = new Coordinate[points + 1];
        for (int k = 0; k < points; k++) {
            double a = 2 * Math.PI * k / points;
            double rr = r * (k % 2 == 0 ? 1 : 0.35 + 0.6 * rnd.nextDouble());
            ring[k] = new Coordinate(ox + rr * Math.cos(a), oy + rr * Math.sin(a));
        }
        ring[points] = ring[0];
        return F.createPolygon(ring);
    }
}
