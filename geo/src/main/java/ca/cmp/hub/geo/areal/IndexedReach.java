package ca.cmp.hub.geo.areal;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;

/**
 * A reach as the {@link ReachIndex} holds it: with its prepared geometry, disc bounds (cheap inside/outside tests
 * before exact ones) and, when it is convex, its ring for exact clipping without overlay (else null);
 * {@code exactlyConvex} when that ring's turns are all left or straight in exact arithmetic (then
 * {@link SeparatingAxis} may decide what it meets). Planar coordinates (metres), the census units' CRS.
 */
record IndexedReach(ServiceReach reach, PreparedGeometry prepared, DiscBounds bounds, ConvexClipArea.Convex convex,
        boolean exactlyConvex) {

    /** Units of up to this many points are tried as convex rings (taking the ring of a larger one costs more). */
    private static final int SMALL_RING = 64;

    /**
     * Whether the reach meets the unit, deciding by the bounds first (a small unit reaching into the inner disc
     * meets it), then by {@link SeparatingAxis} when both are convex, exactly as prepared intersects would.
     */
    boolean meets(Geometry unit, Envelope unitEnvelope) {
        if (bounds.outerMisses(unitEnvelope)) {
            return false;
        }
        if (bounds.innerContains(unitEnvelope)) {
            return true;
        }
        if (unit.getNumPoints() <= SMALL_RING && bounds.innerMeets(unit, unitEnvelope)) {
            // Cheaper than the separating axes, whose cost grows with the circle's vertices.
            return true;
        }
        if (exactlyConvex && unit.getNumPoints() <= SMALL_RING) {
            ConvexClipArea.Convex ring = SeparatingAxis.convexRing(unit);
            Boolean meets = ring == null ? null : SeparatingAxis.meets(convex, ring);
            if (meets != null) {
                return meets;
            }
        }
        return prepared.intersects(unit);
    }

    /** Whether the reach contains the unit: by the inner disc where it shows it, else by prepared contains. */
    boolean contains(Geometry unit, Envelope unitEnvelope) {
        if (bounds.outerMisses(unitEnvelope)) {
            return false;
        }
        return bounds.innerContains(unitEnvelope) || prepared.contains(unit);
    }
}
