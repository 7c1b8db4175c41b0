package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.quadtree.Quadtree;

/**
 * Service reaches indexed by envelope, each with its prepared geometry (fast contains/intersects against many
 * census units). A quadtree rather than an STR-tree because what-if analysis inserts and removes reaches.
 * Not thread-safe for writes; concurrent reads are safe (prepared geometries are thread-safe).
 */
final class ReachIndex {

    private final Quadtree tree = new Quadtree();
    private final List<IndexedReach> entries = new ArrayList<>();
    private final ReachShapes shapes = new ReachShapes();

    ReachIndex(List<ServiceReach> reaches) {
        shapes.takeAll(reaches);
        reaches.forEach(this::insert);
    }

    IndexedReach insert(ServiceReach reach) {
        ReachShapes.Shape shape = shapes.of(reach.area());
        IndexedReach entry = new IndexedReach(reach, shape.prepared(), shape.bounds(), shape.convex(),
                shape.exactlyConvex());
        tree.insert(reach.area().getEnvelopeInternal(), entry);
        entries.add(entry);
        return entry;
    }

    /** Puts back an entry taken out by {@link #remove} (its shape is not computed again). */
    IndexedReach add(IndexedReach entry) {
        tree.insert(entry.reach().area().getEnvelopeInternal(), entry);
        entries.add(entry);
        return entry;
    }

    boolean remove(IndexedReach entry) {
        // By identity: a record's equals compares the reach's geometry, and this runs for every change.
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) == entry) {
                entries.remove(i);
                break;
            }
        }
        return tree.remove(entry.reach().area().getEnvelopeInternal(), entry);
    }

    /** Entries serving some age of {@code from..to}, in insertion order. */
    List<IndexedReach> serving(int from, int to) {
        return entries.stream().filter(e -> e.reach().maxAge() >= from && e.reach().minAge() <= to).toList();
    }

    /** Every reach of {@code from..to} meeting the unit, each one's containment noted where the bounds show it. */
    Meeting meeting(Geometry unit, int from, int to) {
        Envelope envelope = unit.getEnvelopeInternal();
        List<IndexedReach> candidates = candidates(envelope, from, to);
        List<IndexedReach> meeting = new ArrayList<>();
        Boolean[] contains = new Boolean[candidates.size()];
        for (IndexedReach e : candidates) {
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
    List<IndexedReach> candidates(Envelope envelope, int from, int to) {
        List<IndexedReach> result = new ArrayList<>();
        for (Object o : tree.query(envelope)) {
            IndexedReach e = (IndexedReach) o;
            if (e.reach().maxAge() >= from && e.reach().minAge() <= to
                    && e.reach().area().getEnvelopeInternal().intersects(envelope)) {
                result.add(e);
            }
        }
        return result;
    }
}
