package ca.cmp.hub.geo.geojson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Converts between RFC 7946 GeoJSON geometry objects, as parsed JSON ({@code Map}/{@code List}/{@code Number}),
 * and JTS geometries.
 *
 * <p>CRS: RFC 7946 has exactly one, WGS 84 longitude/latitude in degrees; geometries read here get SRID 4326 and
 * x = longitude, y = latitude. A third (altitude) ordinate is accepted and dropped. Structural rules are enforced
 * with errors that name the member ({@code coordinates[0][2]: longitude 191.0 is outside −180..180}): type,
 * position arity, ring closure and minimum sizes. Topological validity (self-intersection) is the caller's check,
 * since some callers repair rather than reject.
 *
 * <p>Writing emits Polygon rings as JTS holds them; RFC 7946's right-hand rule is a SHOULD and consumers must not
 * reject either orientation, so rings are not reoriented (which would cost a copy on every response).
 */
public final class GeoJsonGeometry {

    public static final int WGS84 = 4326;
    private static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), WGS84);

    private GeoJsonGeometry() {
    }

    /** The factory of every geometry this class reads: floating precision, SRID 4326. */
    public static GeometryFactory factory() {
        return FACTORY;
    }

    /**
     * Reads a GeoJSON geometry. A Feature is accepted and its geometry taken; a FeatureCollection is not (it is
     * many geometries, not one).
     *
     * @throws GeoJsonException naming the member that is wrong
     */
    public static Geometry read(Object json) {
        Map<?, ?> object = object(json, "");
        Object type = object.get("type");
        if ("Feature".equals(type)) {
            Object geometry = object.get("geometry");
            if (geometry == null) {
                throw new GeoJsonException("geometry", "the Feature has no geometry");
            }
            return readGeometry(object(geometry, "geometry"), "geometry.");
        }
        return readGeometry(object, "");
    }

    private static Geometry readGeometry(Map<?, ?> object, String prefix) {
        Object type = object.get("type");
        if (!(type instanceof String name)) {
            throw new GeoJsonException(prefix + "type", "a GeoJSON geometry needs a string \"type\"");
        }
        if (name.equals("GeometryCollection")) {
            List<?> members = list(object.get("geometries"), prefix + "geometries");
            Geometry[] parts = new Geometry[members.size()];
            for (int i = 0; i < parts.length; i++) {
                String path = prefix + "geometries[" + i + "]";
                parts[i] = readGeometry(object(members.get(i), path), path + ".");
            }
            return FACTORY.createGeometryCollection(parts);
        }
        String path = prefix + "coordinates";
        Object coordinates = object.get("coordinates");
        if (coordinates == null) {
            throw new GeoJsonException(path, "a " + name + " needs \"coordinates\"");
        }
        return switch (name) {
            case "Point" -> FACTORY.createPoint(position(coordinates, path));
            case "MultiPoint" -> FACTORY.createMultiPoint(positions(coordinates, path, 0));
            case "LineString" -> FACTORY.createLineString(positions(coordinates, path, 2));
            case "MultiLineString" -> {
                List<?> lines = list(coordinates, path);
                LineString[] parts = new LineString[lines.size()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = FACTORY.createLineString(positions(lines.get(i), path + "[" + i + "]", 2));
                }
                yield FACTORY.createMultiLineString(parts);
            }
            case "Polygon" -> polygon(coordinates, path);
            case "MultiPolygon" -> {
                List<?> polygons = list(coordinates, path);
                Polygon[] parts = new Polygon[polygons.size()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = polygon(polygons.get(i), path + "[" + i + "]");
                }
                yield FACTORY.createMultiPolygon(parts);
            }
            default -> throw new GeoJsonException(prefix + "type", "\"" + name + "\" is not a GeoJSON geometry type"
                    + " (Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection)");
        };
    }

    private static Polygon polygon(Object json, String path) {
        List<?> rings = list(json, path);
        if (rings.isEmpty()) {
            throw new GeoJsonException(path, "a Polygon needs at least one ring");
        }
        LinearRing shell = ring(rings.get(0), path + "[0]");
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = ring(rings.get(i), path + "[" + i + "]");
        }
        return FACTORY.createPolygon(shell, holes);
    }

    private static LinearRing ring(Object json, String path) {
        Coordinate[] ring = positions(json, path, 4);
        if (!ring[0].equals2D(ring[ring.length - 1])) {
            throw new GeoJsonException(path, "a linear ring must end where it starts (first and last positions equal)");
        }
        return FACTORY.createLinearRing(ring);
    }

    private static Coordinate[] positions(Object json, String path, int minimum) {
        List<?> list = list(json, path);
        if (list.size() < minimum) {
            throw new GeoJsonException(path, "needs at least " + minimum + " positions, has " + list.size());
        }
        Coordinate[] coordinates = new Coordinate[list.size()];
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = position(list.get(i), path + "[" + i + "]");
        }
        return coordinates;
    }

    private static Coordinate position(Object json, String path) {
        List<?> ordinates = list(json, path);
        if (ordinates.size() < 2 || ordinates.size() > 3) {
            throw new GeoJsonException(path, "a position is [longitude, latitude] (optionally an altitude), got "
                    + ordinates.size() + " numbers");
        }
        double lon = number(ordinates.get(0), path + "[0]");
        double lat = number(ordinates.get(1), path + "[1]");
        if (lon < -180 || lon > 180) {
            throw new GeoJsonException(path, "longitude " + lon + " is outside -180..180");
        }
        if (lat < -90 || lat > 90) {
            throw new GeoJsonException(path, "latitude " + lat + " is outside -90..90");
        }
        return new Coordinate(lon, lat);
    }

    private static double number(Object json, String path) {
        if (json instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new GeoJsonException(path, "expected a number, got " + describe(json));
    }

    private static Map<?, ?> object(Object json, String path) {
        if (json instanceof Map<?, ?> map) {
            return map;
        }
        throw new GeoJsonException(path, "expected a GeoJSON object, got " + describe(json));
    }

    private static List<?> list(Object json, String path) {
        if (json instanceof List<?> list) {
            return list;
        }
        throw new GeoJsonException(path, "expected an array, got " + describe(json));
    }

    private static String describe(Object json) {
        String text = json instanceof String ? "the string \"" + json + "\"" : String.valueOf(json);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** Writes a geometry as a GeoJSON object of {@code Map}s and {@code List}s, ready for any JSON serializer. */
    public static Map<String, Object> write(Geometry geometry) {
        Map<String, Object> json = new LinkedHashMap<>(4);
        json.put("type", geometry.getGeometryType());
        if (geometry instanceof GeometryCollection collection && !(geometry instanceof MultiPoint)
                && !(geometry instanceof MultiLineString) && !(geometry instanceof MultiPolygon)) {
            List<Object> members = new ArrayList<>(collection.getNumGeometries());
            for (int i = 0; i < collection.getNumGeometries(); i++) {
                members.add(write(collection.getGeometryN(i)));
            }
            json.put("geometries", members);
            return json;
        }
        json.put("coordinates", coordinates(geometry));
        return json;
    }

    private static Object coordinates(Geometry geometry) {
        if (geometry instanceof Point point) {
            return point.isEmpty() ? List.of() : position(point.getCoordinate());
        }
        if (geometry instanceof LineString line) {
            return positions(line.getCoordinates());
        }
        if (geometry instanceof Polygon polygon) {
            List<Object> rings = new ArrayList<>(1 + polygon.getNumInteriorRing());
            rings.add(positions(polygon.getExteriorRing().getCoordinates()));
            for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
                rings.add(positions(polygon.getInteriorRingN(i).getCoordinates()));
            }
            return rings;
        }
        List<Object> parts = new ArrayList<>(geometry.getNumGeometries());
        for (int i = 0; i < geometry.getNumGeometries(); i++) {
            parts.add(coordinates(geometry.getGeometryN(i)));
        }
        return parts;
    }

    private static List<Object> positions(Coordinate[] coordinates) {
        List<Object> list = new ArrayList<>(coordinates.length);
        for (Coordinate c : coordinates) {
            list.add(position(c));
        }
        return list;
    }

    private static List<Double> position(Coordinate c) {
        return List.of(c.x, c.y);
    }
}
