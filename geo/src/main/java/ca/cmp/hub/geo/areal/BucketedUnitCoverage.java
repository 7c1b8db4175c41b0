package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Figures of a census unit too large for the small-unit grid (a census division, a rural subdivision), summed
 * bucket by bucket over a {@link ReachGrid#overReaches} grid.
 *
 * <p>Why: a census division around a city meets hundreds of reaches; clipping each to the division's thousands of
 * vertices and unioning the pieces costs seconds. The buckets partition the plane, so
 * {@code area(u ∩ U_a) = Σ_B area((u ∩ B) ∩ U_a)}: a bucket inside the unit is its own piece, a bucket on the
 * unit's boundary is clipped once, and each piece is then settled like a small unit from the bucket's own record
 * (reaches covering it whole, the few crossing it), with youth weighted by the piece's share of the unit's area.
 * Where reaches cover the bucket whole at every counted age (most buckets in a city) only the unit's land in the
 * square is measured, by {@link LandInSquares}.
 * Buckets no reach touches are never visited. The count of programs reaching the unit is taken separately, from
 * the index, testing each candidate reach against the prepared unit.
 *
 * <p>Exact (the same areal weighting as {@link ArealCoverage}, up to floating-point rounding of the sums).
 * Planar coordinates (metres).
 */
final class BucketedUnitCoverage {

    private static final GeometryFactory SQUARES = new GeometryFactory();

    private BucketedUnitCoverage() {
    }

    /** {@code from..to} already clamped to 6..18. */
    static ArealCoverage.AreaFigures evaluate(CensusUnit unit, ReachGrid buckets, ReachIndex index, int from, int to) {
        Geometry g = unit.geometry();
        Envelope envelope = g.getEnvelopeInternal();
        PreparedGeometry prepared = PreparedGeometryFactory.prepare(g);
        int reaching = 0;
        for (ReachIndex.Entry e : index.candidates(envelope, from, to)) {
            if (!e.bounds().outerMisses(envelope) && prepared.intersects(e.reach().area())) {
                reaching++;
            }
        }
        double youth = unit.youth(from, to);
        if (reaching == 0 || from > to || g.getArea() == 0) {
            return new ArealCoverage.AreaFigures(unit.id(), youth, 0, 0, 0);
        }
        double unitArea = g.getArea();
        int window = 0;
        for (int a = from; a <= to; a++) {
            window |= 1 << (a - CensusUnit.FIRST_AGE);
        }
        int allAges = window;
        double[] sums = new double[2];
        List<Envelope> wholly = new ArrayList<>();
        buckets.forEachBucket(envelope, (square, deep, ages, crossing) -> {
            if (!square.intersects(envelope)) {
                return;
            }
            if ((ages & allAges) == allAges) {
                // Covered whole at every age: only the unit's land in the square matters (measured below).
                wholly.add(square);
                return;
            }
            Geometry box = SQUARES.toGeometry(square);
            Geometry piece;
            if (prepared.contains(box)) {
                piece = box;
            } else if (prepared.intersects(box)) {
                // Boundaries running along the square's edge can add lines to the result: keep the land only.
                piece = g.getFactory().buildGeometry(PolygonExtracter.getPolygons(
                        OverlayNGRobust.overlay(g, box, OverlayNG.INTERSECTION)));
                if (piece.isEmpty()) {
                    return;
                }
            } else {
                return;
            }
            double share = piece.getArea() / unitArea;
            double[] weighted = unit.youthByAge().clone();
            for (int a = 0; a < weighted.length; a++) {
                weighted[a] *= share;
            }
            CensusUnit part = new CensusUnit(unit.id(), piece, weighted);
            Envelope pe = piece.getEnvelopeInternal();
            List<ReachIndex.Entry> meeting = new ArrayList<>(crossing.size());
            Boolean[] contains = new Boolean[crossing.size()];
            for (ReachIndex.Entry e : crossing) {
                if (e.bounds().innerContains(pe)) {
                    contains[meeting.size()] = Boolean.TRUE;
                    meeting.add(e);
                } else if (e.meets(piece, pe)) {
                    meeting.add(e);
                }
            }
            ArealCoverage.AreaFigures f = ArealCoverage.evaluate(part, new Meeting(ages, deep, meeting, contains),
                    from, to);
            sums[0] += f.covered();
            sums[1] += f.coveredAreaShare() * share;
        });
        double land = LandInSquares.total(g, wholly);
        sums[0] += youth * land / unitArea;
        sums[1] += land / unitArea;
        return new ArealCoverage.AreaFigures(unit.id(), youth, sums[0], Math.min(1, sums[1]), reaching);
    }
}
