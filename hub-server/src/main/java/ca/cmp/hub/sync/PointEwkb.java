package ca.cmp.hub.sync;

/**
 * A WGS 84 point as hex-encoded EWKB (little-endian, SRID 4326), the form PostGIS reads fastest: COPY hands it
 * straight to the binary decoder instead of the WKT parser, and the coordinates arrive as the exact doubles
 * (no decimal rendering and re-parsing).
 */
final class PointEwkb {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Byte order 1 (little-endian), type 1 (Point) with the SRID flag 0x20000000, SRID 4326 (0x10E6). */
    private static final String HEADER = "0101000020e6100000";

    private PointEwkb() {
    }

    static String hex(double x, double y) {
        StringBuilder out = new StringBuilder(HEADER.length() + 32).append(HEADER);
        append(out, Double.doubleToRawLongBits(x));
        append(out, Double.doubleToRawLongBits(y));
        return out.toString();
    }

    private static void append(StringBuilder out, long bits) {
        for (int i = 0; i < 8; i++) {
            int b = (int) (bits >>> (8 * i)) & 0xff;
            out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
        }
    }
}
