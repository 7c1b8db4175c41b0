package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/** Shapes are taken once per geometry object, and describe that geometry. */
class ReachShapesTest {

    @Test
    void takenOncePerGeometryObject() {
        Geometry circle = ReachGridTest.F.createPoint(new Coordinate(10, 20)).buffer(100, 16);
        Geometry twin = circle.copy();
        Geometry star = ReachGridTest.star(0, 0, 100, new java.util.Random(3));
        ReachShapes shapes = new ReachShapes();
        ReachShapes.Shape first = shapes.of(circle);
        assertThat(shapes.of(circle)).isSameAs(first);
        assertThat(shapes.of(twin)).isNotSameAs(first);
        assertThat(first.prepared().getGeometry()).isSameAs(circle);
        assertThat(first.convex()).isNotNull();
        assertThat(first.exactlyConvex()).isTrue();
        assertThat(first.bounds()).isEqualTo(DiscBounds.of(circle));
        assertThat(shapes.of(star).convex()).isNull();
        assertThat(shapes.of(star).exactlyConvex()).isFalse();

        List<ServiceReach> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new ServiceReach("r" + i, i == 0 ? circle
                    : ReachGridTest.F.createPoint(new Coordinate(i, i)).buffer(50, 16), 6, 18, 0, 0));
        }
        shapes.takeAll(many);
        assertThat(shapes.size()).isEqualTo(3 + 99);
        assertThat(shapes.of(circle)).isSameAs(first);
    }
}
