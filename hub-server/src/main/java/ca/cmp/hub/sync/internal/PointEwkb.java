package ca.cmp.hub.sync.internal;

import java.util.HexFormat;

/**
 * A WGS 84 point as EWKB (little-endian, SRID 4326), the form PostGIS reads fastest: COPY hands it straight to the
 * binary decoder instead of the WKT parser, and the coordinates arrive as the exact doubles (no decimal rendering
 * and re-parsing). Binary COPY takes the bytes as they are; text COPY takes them hex-encoded.
 */
public final class PointEwkb {

    /** Byte order 1 (little-endian), type 1 (Point) with the SRID flag 0x20000000, SRID 4326 (0x10E6). */
    private static final byte[] HEADER = {0x01, 0x01, 0x00, 0x00, 0x20, (byte) 0xe6, 0x10, 0x00, 0x00};

    private PointEwkb() {
    }

    public static byte[] bytes(double x, double y) {
        byte[] out = new byte[HEADER.length + 16];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        put(out, HEADER.length, Double.doubleToRawLongBits(x));
        put(out, HEADER.length + 8, Double.doubleToRawLongBits(y));
        return out;
    }

    public static String hex(double x, double y) {
        return HexFormat.of().formatHex(bytes(x, y));
    }

    private static void put(byte[] out, int at, long bits) {
        for (int i = 0; i < 8; i++) {
            out[at + i] = (byte) (bits >>> (8 * i));
        }
    }
}
