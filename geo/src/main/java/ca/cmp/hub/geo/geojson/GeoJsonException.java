package ca.cmp.hub.geo.geojson;

/**
 * A GeoJSON value that cannot be used. {@link #path()} names the offending member from the value's root (for
 * example {@code coordinates[0][3]}), so callers can prefix the argument or field name.
 */
public class GeoJsonException extends IllegalArgumentException {

    private final String path;
    private final String reason;

    public GeoJsonException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
