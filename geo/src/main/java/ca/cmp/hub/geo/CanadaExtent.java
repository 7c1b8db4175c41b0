package ca.cmp.hub.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * The lon/lat box that holds all of Canada's land and near-shore waters (WGS 84 / NAD83, degrees).
 *
 * <p>It is a box, not the national outline: it rejects what is certainly wrong (a swapped latitude and longitude,
 * a missing minus sign, a point in Europe, Null Island at 0,0) without a polygon test on every record. A few
 * points just south of the border (Detroit, Seattle's suburbs) pass; finer checks belong to the caller, which may
 * test against a region polygon.
 *
 * <p>Bounds: latitude 41.6 (Middle Island, Lake Erie) to 83.2 (Cape Columbia); longitude −141.1 (Yukon–Alaska
 * border) to −52.5 (Cape Spear), each padded by about 0.05° for coordinates rounded at the edge.
 */
public final class CanadaExtent {

    public static final double MIN_LATITUDE = 41.6;
    public static final double MAX_LATITUDE = 83.2;
    public static final double MIN_LONGITUDE = -141.1;
    public static final double MAX_LONGITUDE = -52.5;

    private static final Envelope ENVELOPE = new Envelope(MIN_LONGITUDE, MAX_LONGITUDE, MIN_LATITUDE, MAX_LATITUDE);

    private CanadaExtent() {
    }

    /** True when the point (degrees, WGS 84) lies inside the box. */
    public static boolean contains(double latitude, double longitude) {
        return latitude >= MIN_LATITUDE && latitude <= MAX_LATITUDE
                && longitude >= MIN_LONGITUDE && longitude <= MAX_LONGITUDE;
    }

    /** True when every coordinate of the geometry (x = longitude, y = latitude) lies inside the box. */
    public static boolean contains(Geometry geometry) {
        return ENVELOPE.contains(geometry.getEnvelopeInternal());
    }

    /**
     * True when the pair is outside Canada as given but inside once latitude and longitude are exchanged: the most
     * common error in partner spreadsheets.
     */
    public static boolean looksSwapped(double latitude, double longitude) {
        return !contains(latitude, longitude) && contains(longitude, latitude);
    }

    /** The first coordinate outside the box, or {@code null}; for error messages that name the offending vertex. */
    public static Coordinate firstOutside(Geometry geometry) {
        for (Coordinate c : geometry.getCoordinates()) {
            if (!contains(c.y, c.x)) {
                return c;
            }
        }
        return null;
    }
}
