package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.algorithm.locate.PointOnGeometryLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.prep.PreparedPolygon;
import org.locationtech.jts.operation.distance.IndexedFacetDistance;

/**
 * Figures of a census unit too large for the small-unit grid (a census division, a rural subdivision), summed
 * bucket by bucket over a {@link ReachGrid#overReaches} grid.
 *
 * <p>Why: a census division around a city meets hundreds of reaches; clipping each to the division's thousands of
 * vertices and unioning the pieces costs seconds. The buckets partition the plane, so
 * {@code area(u ∩ U_a) = Σ_B area((u ∩ B) ∩ U_a)}. Where reaches cover the bucket whole at every counted age
 * (most buckets in a city) only the unit's land in the square is measured, by {@link LandInSquares}; any other
 * bucket is settled from its own record (ages covered whole, the reaches crossing it) by {@link CoveredLand}, and
 * each age's youth is weighted by its covered land's share of the unit's area.
 * Buckets no reach touches are never visited. The count of programs reaching the unit is taken separately, from
 * the index: each candidate reach's disc far from every edge of the unit is inside or outside as its centre is,
 * and only the others are tested against the prepared unit.
 *
 * <p>Exact (the same areal weighting as {@link ArealCoverage}, up to floating-point rounding of the sums).
 * Planar coordinates (metres).
 */
final class BucketedUnitCoverage {

    private BucketedUnitCoverage() {
    }

    /** {@code from..to} already clamped to 6..18. */
    static AreaFigures evaluate(CensusUnit unit, ReachGrid buckets, ReachIndex index, int from, int to) {
        Geometry g = unit.geometry();
        Envelope envelope = g.getEnvelopeInternal();
        int reaching = reaching(g, index.candidates(envelope, from, to));
        double youth = unit.youth(from, to);
        if (reaching == 0 || from > to || g.getArea() == 0) {
            return new AreaFigures(unit.id(), youth, 0, 0, 0);
        }
        double unitArea = g.getArea();
        int window = CensusUnit.ageBits(from, to);
        int allAges = window;
        double[] sums = new double[2];
        List<Envelope> wholly = new ArrayList<>();
        // Taken out of the geometry once, not once per bucket.
        ConvexClipArea.Rings rings = ConvexClipArea.Rings.of(g);
        buckets.forEachBucket(envelope, (square, deep, ages, crossing) -> {
            if (!square.intersects(envelope)) {
                return;
            }
            if ((ages & allAges) == allAges) {
                // Covered whole at every age: only the unit's land in the square matters (measured below).
                wholly.add(square);
                return;
            }
            double[] part = CoveredLand.of(g, rings, square, crossing, allAges, ages);
            for (int a = from; a <= to; a++) {
                sums[0] += unit.youthByAge()[a - CensusUnit.FIRST_AGE] * part[1 + a - CensusUnit.FIRST_AGE]
                        / unitArea;
            }
            sums[1] += part[CoveredLand.ANY] / unitArea;
        });
        double land = LandInSquares.total(g, wholly);
        sums[0] += youth * land / unitArea;
        sums[1] += land / unitArea;
        return new AreaFigures(unit.id(), youth, sums[0], Math.min(1, sums[1]), reaching);
    }

    /**
     * How many of the candidate reaches meet the unit. One with a vertex on the unit's land meets it (one indexed
     * point location: most candidates of a division lie inside it). Of the others, one whose outer disc is farther
     * than its radius from every edge of the unit lies wholly inside or wholly outside the unit, as its centre does
     * (one indexed distance query and one point location instead of noding the reach against the unit's thousands
     * of edges: outside the division but within its envelope); only the rest are tested by prepared intersects.
     */
    static int reaching(Geometry g, List<IndexedReach> candidates) {
        Envelope envelope = g.getEnvelopeInternal();
        PreparedGeometry prepared = null;
        IndexedFacetDistance edges = null;
        PointOnGeometryLocator locator = null;
        int reaching = 0;
        for (IndexedReach e : candidates) {
            DiscBounds b = e.bounds();
            if (b.outerMisses(envelope)) {
                continue;
            }
            if (locator == null) {
                // The prepared unit's own locator when it has one (its index is then built once, not twice).
                prepared = PreparedGeometryFactory.prepare(g);
                locator = prepared instanceof PreparedPolygon p ? p.getPointLocator()
                        : new IndexedPointInAreaLocator(g);
            }
            // A vertex of the reach on the unit's land: they meet (as prepared intersects would find first).
            if (locator.locate(e.reach().area().getCoordinate()) != Location.EXTERIOR) {
                reaching++;
                continue;
            }
            if (edges == null) {
                edges = new IndexedFacetDistance(g);
            }
            Coordinate centre = new Coordinate(b.x(), b.y());
            // The outer radius already carries a safety margin; this one covers the distance's own rounding.
            if (!edges.isWithinDistance(g.getFactory().createPoint(centre), b.outer() * (1 + 1e-9) + 1e-6)) {
                if (locator.locate(centre) == Location.INTERIOR) {
                    reaching++;
                }
                continue;
            }
            if (prepared.intersects(e.reach().area())) {
                reaching++;
            }
        }
        return reaching;
    }
}
