package ca.cmp.hub.geo.areal;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * What an analysis derives from a service area's geometry alone, per geometry <em>object</em> (identity, not
 * equality): its prepared geometry, {@link DiscBounds}, and convex ring; taken for all of an analysis' reaches at
 * once on all cores ({@link #takeAll}), then read as each reach is indexed.
 *
 * <p>Why: for 5,000 reaches these cost a point-in-polygon test and a few passes over every vertex each, about a
 * tenth of a national analysis when taken one after the other. (Keeping them across analyses, with the hub's kept
 * service areas, was measured too: no gain beyond run-to-run noise, so they live as long as one index.)
 *
 * <p>Geometries must not be mutated once their shape is taken. Thread-safe (JTS prepared geometries are; a shape
 * taken twice concurrently is built twice, one kept).
 */
final class ReachShapes {

    /** Prepared geometry, disc bounds, convex ring (null unless convex), and whether that ring is exactly convex. */
    record Shape(PreparedGeometry prepared, DiscBounds bounds, ConvexClipArea.Convex convex, boolean exactlyConvex) {

        static Shape of(Geometry area) {
            ConvexClipArea.Convex convex = ConvexClipArea.Convex.of(area);
            return new Shape(PreparedGeometryFactory.prepare(area), DiscBounds.of(area), convex,
                    convex != null && SeparatingAxis.exactlyConvex(convex));
        }
    }

    /** A geometry compared by identity. */
    private record Key(Geometry area) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.area == area;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(area);
        }
    }

    private final ConcurrentHashMap<Key, Shape> shapes = new ConcurrentHashMap<>();

    Shape of(Geometry area) {
        Key key = new Key(area);
        Shape shape = shapes.get(key);
        return shape != null ? shape : shapes.computeIfAbsent(key, k -> Shape.of(area));
    }

    /** Takes the shapes of the reaches not yet known, on all cores when there are many. */
    void takeAll(List<ServiceReach> reaches) {
        List<ServiceReach> missing = reaches.stream().filter(r -> !shapes.containsKey(new Key(r.area()))).toList();
        (missing.size() > 64 ? missing.parallelStream() : missing.stream()).forEach(r -> of(r.area()));
    }

    int size() {
        return shapes.size();
    }
}
