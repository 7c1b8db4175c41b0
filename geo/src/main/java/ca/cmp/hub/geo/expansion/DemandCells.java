package ca.cmp.hub.geo.expansion;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.GridCellLand;
import ca.cmp.hub.geo.areal.ServiceReach;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Discretises the youth that existing programs do not reach into weighted demand points, for location planning.
 *
 * <p>Each census unit is overlaid with a square grid of {@code cellSize} metres (aligned to the CRS origin, so
 * neighbouring units share it). Every cell of the unit becomes one point carrying the unit's youth in proportion
 * to the cell's land in the unit (the areal-weighting assumption of the coverage analysis: youth spread evenly
 * over the unit): cells wholly inside at their centre, cells the boundary crosses at the centroid of their exact
 * overlap ({@link GridCellLand}). A point's weight is the youth of the requested ages, age by age, that no
 * existing reach serving that age covers at the point. The unit's totals are therefore exact; only where inside a cell its youth sit is
 * approximated: with 250 m cells and service radii of kilometres, newly covered youth agree with exact polygon
 * areal weighting to within a percent (measured in the tests).
 *
 * <p>Preconditions: units and reaches in one planar CRS in metres (EPSG:3347 in the hub), units not overlapping.
 */
public final class DemandCells {

    private DemandCells() {
    }

    private record Reach(ServiceReach reach, PreparedGeometry prepared) {
    }

    /**
     * @param existing reaches of the programs that exist today (already-covered youth are not demand)
     * @param fromAge  youngest age planned for (clamped to 6)
     * @param toAge    oldest age planned for (clamped to 18)
     * @param cellSize grid cell side in metres, &gt; 0
     */
    public static Demand rasterize(List<CensusUnit> units, List<ServiceReach> existing, int fromAge, int toAge,
            double cellSize) {
        if (!(cellSize > 0)) {
            throw new IllegalArgumentException("cellSize must be positive, got " + cellSize);
        }
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        STRtree index = new STRtree();
        for (ServiceReach r : existing) {
            if (r.maxAge() >= from && r.minAge() <= to) {
                // Prepared once here, not once per unit it meets.
                index.insert(r.area().getEnvelopeInternal(), new Reach(r, PreparedGeometryFactory.prepare(r.area())));
            }
        }
        index.build();
        List<double[]>[] perUnit = new List[units.size()];
        IntStream.range(0, units.size()).parallel().forEach(u -> perUnit[u] = cells(units.get(u), index, from, to,
                cellSize));
        int n = 0;
        for (List<double[]> cells : perUnit) {
            n += cells.size();
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        int[] unit = new int[n];
        int k = 0;
        for (int u = 0; u < perUnit.length; u++) {
            for (double[] c : perUnit[u]) {
                x[k] = c[0];
                y[k] = c[1];
                w[k] = c[2];
                unit[k] = u;
                k++;
            }
        }
        return new Demand(x, y, w, unit, units.stream().map(CensusUnit::id).toList());
    }

    private static List<double[]> cells(CensusUnit unit, STRtree index, int from, int to, double cellSize) {
        Geometry g = unit.geometry();
        double youth = unit.youth(from, to);
        List<double[]> out = new ArrayList<>();
        if (youth <= 0 || g.isEmpty()) {
            return out;
        }
        Envelope env = g.getEnvelopeInternal();
        @SuppressWarnings("unchecked")
        List<Reach> meeting = index.query(env);
        for (Reach r : meeting) {
            // A reach serving every planned age over the whole unit leaves it no demand.
            if (r.reach().minAge() <= from && r.reach().maxAge() >= to && r.prepared().contains(g)) {
                return out;
            }
        }
        GeometryFactory factory = g.getFactory();
        double unitArea = g.getArea();
        // {x, y, share of the unit's land}: whole cells at their centre, cells the boundary crosses at the
        // centroid of their exact overlap.
        List<double[]> centres = new ArrayList<>();
        for (GridCellLand.Cell cell : GridCellLand.of(g, cellSize)) {
            centres.add(new double[] {cell.x(), cell.y(), cell.area() / unitArea});
        }
        if (centres.isEmpty()) {
            Point p = g.getInteriorPoint();
            centres.add(new double[] {p.getX(), p.getY(), 1});
        }
        double[] byAge = unit.youthByAge();
        for (double[] centre : centres) {
            Point point = factory.createPoint(new Coordinate(centre[0], centre[1]));
            boolean[] within = new boolean[meeting.size()];
            for (int r = 0; r < within.length; r++) {
                within[r] = meeting.get(r).prepared().intersects(point);
            }
            double weight = 0;
            for (int age = from; age <= to; age++) {
                boolean reached = false;
                for (int r = 0; r < within.length && !reached; r++) {
                    reached = within[r] && meeting.get(r).reach().serves(age);
                }
                if (!reached) {
                    weight += byAge[age - CensusUnit.FIRST_AGE] * centre[2];
                }
            }
            if (weight > 0) {
                out.add(new double[] {centre[0], centre[1], weight});
            }
        }
        return out;
    }
}
