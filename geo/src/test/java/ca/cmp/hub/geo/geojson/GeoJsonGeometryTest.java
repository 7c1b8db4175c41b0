package ca.cmp.hub.geo.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

class GeoJsonGeometryTest {

    private static final List<List<Double>> SQUARE = List.of(List.of(-79.5, 43.6), List.of(-79.3, 43.6),
            List.of(-79.3, 43.8), List.of(-79.5, 43.8), List.of(-79.5, 43.6));

    @Test
    void readsPolygonWithLongitudeAsXAndSrid4326() {
        Geometry g = GeoJsonGeometry.read(Map.of("type", "Polygon", "coordinates", List.of(SQUARE)));
        assertThat(g).isInstanceOf(Polygon.class);
        assertThat(g.getSRID()).isEqualTo(4326);
        assertThat(g.getEnvelopeInternal().getMinX()).isEqualTo(-79.5);
        assertThat(g.getEnvelopeInternal().getMaxY()).isEqualTo(43.8);
        assertThat(g.getArea()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void roundTripsEveryGeometryType() {
        List<Map<String, Object>> inputs = List.of(
                Map.of("type", "Point", "coordinates", List.of(-79.4, 43.7)),
                Map.of("type", "MultiPoint", "coordinates", List.of(List.of(-79.4, 43.7), List.of(-75.7, 45.4))),
                Map.of("type", "LineString", "coordinates", List.of(List.of(-79.4, 43.7), List.of(-75.7, 45.4))),
                Map.of("type", "MultiPolygon", "coordinates", List.of(List.of(SQUARE))),
                Map.of("type", "GeometryCollection", "geometries",
                        List.of(Map.of("type", "Point", "coordinates", List.of(-79.4, 43.7)))));
        for (Map<String, Object> input : inputs) {
            Geometry read = GeoJsonGeometry.read(input);
            assertThat(GeoJsonGeometry.write(read)).isEqualTo(input);
        }
    }

    @Test
    void takesTheGeometryOfAFeature() {
        Geometry g = GeoJsonGeometry.read(Map.of("type", "Feature", "properties", Map.of(),
                "geometry", Map.of("type", "Point", "coordinates", List.of(-79.4, 43.7))));
        assertThat(g.getCoordinate().y).isEqualTo(43.7);
    }

    @Test
    void namesTheMemberThatIsWrong() {
        assertThatThrownBy(() -> GeoJsonGeometry.read(Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(-79.5, 43.6), List.of(191.0, 43.6), List.of(-79.3, 43.8),
                        List.of(-79.5, 43.6))))))
                .isInstanceOf(GeoJsonException.class)
                .hasMessage("coordinates[0][1]: longitude 191.0 is outside -180..180");
        assertThatThrownBy(() -> GeoJsonGeometry.read(Map.of("type", "Polygon", "coordinates",
                List.of(List.of(List.of(-79.5, 43.6), List.of(-79.3, 43.6), List.of(-79.3, 43.8),
                        List.of(-79.5, 43.7))))))
                .hasMessageStartingWith("coordinates[0]: a linear ring must end where it starts");
        assertThatThrownBy(() -> GeoJsonGeometry.read(Map.of("type", "Circle", "coordinates", List.of())))
                .hasMessageStartingWith("type: \"Circle\" is not a GeoJSON geometry type");
        assertThatThrownBy(() -> GeoJsonGeometry.read("POLYGON((0 0))"))
                .hasMessage("expected a GeoJSON object, got the string \"POLYGON((0 0))\"");
        assertThatThrownBy(() -> GeoJsonGeometry.read(Map.of("type", "Point", "coordinates", List.of("x", 1))))
                .hasMessage("coordinates[0]: expected a number, got the string \"x\"");
        assertThatThrownBy(() -> GeoJsonGeometry.read(Map.of("type", "LineString", "coordinates",
                List.of(List.of(1.0, 2.0))))).hasMessage("coordinates: needs at least 2 positions, has 1");
    }
}
