package ca.cmp.hub.census;

import java.util.Locale;
import java.util.Map;

/**
 * One feature of a boundary file, as the loader needs it, whatever the format.
 *
 * @param where      the feature's place in its file, for messages: "feature 3" (GeoJSON, 0-based as the array),
 *                   "record 12" (shapefile, 1-based as the format numbers records), "feature fid 7" (GeoPackage)
 * @param attributes its properties or columns as text; absent or blank values are missing
 * @param shape      its geometry, in the file's CRS
 */
record BoundaryFeature(String where, Map<String, String> attributes, Shape shape) {

    /** A feature's geometry as the database will parse it, or why it cannot be used. */
    sealed interface Shape permits GeoJson, Wkb, Unusable {
    }

    /** A GeoJSON Polygon or MultiPolygon object. */
    record GeoJson(String text) implements Shape {
    }

    /** A Polygon or MultiPolygon as Well-Known Binary (OGC or ISO; Z and M are dropped on load). */
    record Wkb(byte[] bytes) implements Shape {
    }

    /** Not a polygonal geometry, or a broken one: the reason, naming the part at fault. */
    record Unusable(String reason) implements Shape {
    }

    /** The value of {@code name}: exactly, else ignoring case (shapefile columns are often upper case). */
    String attribute(String name) {
        if (name == null) {
            return null;
        }
        String value = attributes.get(name);
        if (value == null && !attributes.containsKey(name)) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    value = e.getValue();
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : value;
    }
}
