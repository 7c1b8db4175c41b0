package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.List;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.quadtree.Quadtree;

/**
 * Service reaches indexed by envelope, each with its prepared geometry (fast contains/intersects against many
 * census units). A quadtree rather than an STR-tree because what-if analysis inserts and removes reaches.
 * Not thread-safe for writes; concurrent reads are safe (prepared geometries are thread-safe).
 */
final class ReachIndex {

    record Entry(ServiceReach reach, PreparedGeometry prepared) {
    }

    private final Quadtree tree = new Quadtree();

    ReachIndex(List<ServiceReach> reaches) {
        reaches.forEach(this::insert);
    }

    Entry insert(ServiceReach reach) {
        Entry entry = new Entry(reach, PreparedGeometryFactory.prepare(reach.area()));
        tree.insert(reach.area().getEnvelopeInternal(), entry);
        return entry;
    }

    boolean remove(Entry entry) {
        return tree.remove(entry.reach().area().getEnvelopeInternal(), entry);
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
