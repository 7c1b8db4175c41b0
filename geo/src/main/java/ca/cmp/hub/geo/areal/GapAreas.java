package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.TopologyException;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.union.CascadedPolygonUnion;
import org.locationtech.jts.operation.union.UnionStrategy;

/**
 * The land no fitting program reaches, dissolved across neighbouring census units and ranked by the youth who
 * live there.
 *
 * <p>A gap piece is a unit's land outside the service area of every program serving some age of the window. Its
 * unmet youth are the unit's youth of the window times the piece's share of the unit's area (areal weighting, as
 * in {@link ArealCoverage}). Youth living where only programs for other ages reach are uncovered in the unit's
 * figures but are not in a gap polygon: the gap is where nothing fitting reaches at all. Pieces smaller than
 * {@code minPieceArea} (slivers from boundary noise) are left out of the polygons; their youth are then not in
 * any gap's count, which only ever makes a gap's figure conservative.
 */
public final class GapAreas {

    private GapAreas() {
    }

    /**
     * A dissolved gap.
     *
     * @param geometry   polygon (metres)
     * @param unmetYouth youth of the window living in it
     * @param area       square metres
     * @param unitIds    census units it lies in, sorted
     */
    public record Gap(Geometry geometry, double unmetYouth, double area, List<String> unitIds) {

        /** Unmet youth per square kilometre. */
        public double density() {
            return area == 0 ? 0 : unmetYouth / (area / 1e6);
        }
    }

    private record Piece(String unitId, Geometry geometry, double unmetYouth) {
    }

    /** All gaps, largest unmet youth first. */
    public static List<Gap> find(List<CensusUnit> units, List<ServiceReach> reaches, int fromAge, int toAge,
            double minPieceArea) {
        ReachIndex index = new ReachIndex(reaches);
        int from = Math.max(fromAge, CensusUnit.FIRST_AGE);
        int to = Math.min(toAge, CensusUnit.LAST_AGE);
        ReachGrid grid = ReachGrid.build(units, index.serving(from, to), from, to);
        List<Piece> pieces = units.parallelStream()
                .map(u -> piece(u, ArealCoverage.meeting(u, grid, index, from, to), from, to))
                .filter(p -> p != null && p.geometry().getArea() >= minPieceArea).toList();
        if (pieces.isEmpty()) {
            return List.of();
        }
        Geometry dissolved = dissolve(pieces.stream().map(Piece::geometry).toList());
        STRtree components = new STRtree();
        List<Geometry> parts = new ArrayList<>();
        for (int i = 0; i < dissolved.getNumGeometries(); i++) {
            Geometry part = dissolved.getGeometryN(i);
            parts.add(part);
            components.insert(part.getEnvelopeInternal(), i);
        }
        double[] youth = new double[parts.size()];
        // Components can be vast (a whole northern gap): each is prepared once, on first use, for the point tests.
        PreparedGeometry[] prepared = new PreparedGeometry[parts.size()];
        List<TreeSet<String>> ids = new ArrayList<>();
        parts.forEach(p -> ids.add(new TreeSet<>()));
        for (Piece piece : pieces) {
            // Each polygon of a piece lies inside exactly one dissolved component.
            for (int k = 0; k < piece.geometry().getNumGeometries(); k++) {
                Geometry polygon = piece.geometry().getGeometryN(k);
                Point inside = polygon.getInteriorPoint();
                double share = polygon.getArea() / piece.geometry().getArea();
                for (Object o : components.query(inside.getEnvelopeInternal())) {
                    int c = (Integer) o;
                    if (prepared[c] == null) {
                        prepared[c] = PreparedGeometryFactory.prepare(parts.get(c));
                    }
                    if (prepared[c].covers(inside)) {
                        youth[c] += piece.unmetYouth() * share;
                        ids.get(c).add(piece.unitId());
                        break;
                    }
                }
            }
        }
        List<Gap> gaps = new ArrayList<>(parts.size());
        for (int c = 0; c < parts.size(); c++) {
            gaps.add(new Gap(parts.get(c), youth[c], parts.get(c).getArea(), List.copyOf(ids.get(c))));
        }
        gaps.sort(Comparator.comparingDouble(Gap::unmetYouth).reversed());
        return gaps;
    }

    private static Piece piece(CensusUnit unit, Meeting meeting, int from, int to) {
        if (meeting.containing() > 0) {
            return null;
        }
        Geometry geometry = unit.geometry();
        Geometry outside;
        if (meeting.crossing().isEmpty()) {
            outside = geometry;
        } else {
            BitSet all = new BitSet();
            all.set(0, meeting.crossing().size());
            outside = new UnitClipper(geometry, meeting.crossing(), meeting.contains()).outside(all);
        }
        if (outside.isEmpty()) {
            return null;
        }
        double unmet = unit.youth(from, to) * outside.getArea() / geometry.getArea();
        return new Piece(unit.id(), outside, unmet);
    }

    /**
     * Unions the uncovered pieces. Pieces cut from census boundaries can be slightly invalid and meet along
     * nearly-coincident edges, where even the robust floating-point union can fail ("side location conflict", seen
     * on the census divisions): pieces are repaired first, and the last resort is snap-rounding on a 1 cm grid,
     * which cannot fail and moves nothing by more than a centimetre.
     */
    static Geometry dissolve(List<Geometry> pieces) {
        List<Geometry> valid = pieces.stream().map(GeometryFixer::fix).filter(g -> !g.isEmpty()).toList();
        try {
            return OverlayNGRobust.union(valid);
        } catch (TopologyException e) {
            PrecisionModel centimetre = new PrecisionModel(100);
            UnionStrategy snapRounded = new UnionStrategy() {
                @Override
                public Geometry union(Geometry g0, Geometry g1) {
                    return OverlayNG.overlay(g0, g1, OverlayNG.UNION, centimetre);
                }

                @Override
                public boolean isFloatingPrecision() {
                    return false;
                }
            };
            return new CascadedPolygonUnion(valid, snapRounded).union();
        }
    }
}
