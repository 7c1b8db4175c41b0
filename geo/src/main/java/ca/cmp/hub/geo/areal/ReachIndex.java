package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.index.quadtree.Quadtree;

/**
 * Service reaches indexed by envelope, each with its prepared geometry (fast contains/intersects against many
 * census units). A quadtree rather than an STR-tree because what-if analysis inserts and removes reaches.
 * Not thread-safe for writes; concurrent reads are safe (prepared geometries are thread-safe).
 */
final class ReachIndex {

    /**
     * A reach with its prepared geometry, disc bounds (cheap inside/outside tests before exact ones) and, when it is
     * convex, its ring for exact clipping without overlay (else null); {@code exactlyConvex} when that ring's turns
     * are all left or straight in exact arithmetic (then {@link SeparatingAxis} may decide what it meets).
     */
    record Entry(ServiceReach reach, PreparedGeometry prepared, DiscBounds bounds, ConvexClipArea.Convex convex,
            boolean exactlyConvex) {

        /**
         * Whether the reach meets the unit, deciding by the bounds first, then by {@link SeparatingAxis} when both are
         * convex, exactly as prepared intersects would.
         */
        boolean meets(Geometry unit, Envelope unitEnvelope) {
            if (bounds.outerMisses(unitEnvelope)) {
                return false;
            }
            if (bounds.innerContains(unitEnvelope)) {
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

    /** Units of up to this many points are tried as convex rings (taking the ring of a larger one costs more). */
    private static final int SMALL_RING = 64;

    private final Quadtree tree = new Quadtree();
    private final List<Entry> entries = new ArrayList<>();
    private final ReachShapes shapes = new ReachShapes();

    ReachIndex(List<ServiceReach> reaches) {
        shapes.takeAll(reaches);
        reaches.forEach(this::insert);
    }

    Entry insert(ServiceReach reach) {
        ReachShapes.Shape shape = shapes.of(reach.area());
        Entry entry = new Entry(reach, shape.prepared(), shape.bounds(), shape.convex(), shape.exactlyConvex());
        tree.insert(reach.area().getEnvelopeInternal(), entry);
        entries.add(entry);
        return entry;
    }

    /** Puts back an entry taken out by {@link #remove} (its shape is not computed again). */
    Entry add(Entry entry) {
        tree.insert(entry.reach().area().getEnvelopeInternal(), entry);
        entries.add(entry);
        return entry;
    }

    boolean remove(Entry entry) {
        entries.remove(entry);
        return tree.remove(entry.reach().area().getEnvelopeInternal(), entry);
    }

    /** Entries serving some age of {@code from..to}, in insertion order. */
    List<Entry> serving(int from, int to) {
        return entries.stream().filter(e -> e.reach().maxAge() >= from && e.reach().minAge() <= to).toList();
    }

    /** Every reach of {@code from..to} meeting the unit, each one's containment noted where the bounds show it. */
    Meeting meeting(Geometry unit, int from, int to) {
        Envelope envelope = unit.getEnvelopeInternal();
        List<Entry> candidates = candidates(envelope, from, to);
        List<Entry> meeting = new ArrayList<>();
        Boolean[] contains = new Boolean[candidates.size()];
        for (Entry e : candidates) {
            if (e.bounds().innerContains(envelope)) {
                contains[meeting.size()] = Boolean.TRUE;
                meeting.add(e);
            } else if (e.meets(unit, envelope)) {
                meeting.add(e);
            }
        }
        return new Meeting(0, 0, meeting, contains);
    }

    /** Entries whose envelope meets {@code envelope} and that serve some age of {@code from..to}. */
    List<Entry> candidates(Envelope envelope, int from, int to) {
        List<Entry> result = new ArrayList<>();
        for (Object o : tree.query(envelope)) {
            Entry e = (Entry) o;
            if (e.reach().maxAge() >= from && e.reach().minAge() <= to
                    && e.reach().area().getEnvelopeInternal().intersects(envelope)) {
                result.add(e);
            }
        }
        return result;
    }
}
