package ca.cmp.hub.geo.areal;

import org.locationtech.jts.geom.Geometry;

/**
 * A census area: polygonal geometry (metres) and youth by single year of age 6..18 (13 values, non-negative).
 *
 * @param id          the area's code
 * @param geometry    Polygon or MultiPolygon, valid, non-empty
 * @param youthByAge  index 0 = age 6 … index 12 = age 18
 */
public record CensusUnit(String id, Geometry geometry, double[] youthByAge) {

    public static final int FIRST_AGE = 6;
    public static final int LAST_AGE = 18;

    public CensusUnit {
        if (youthByAge.length != LAST_AGE - FIRST_AGE + 1) {
            throw new IllegalArgumentException("youthByAge of " + id + " needs 13 values (ages 6..18), has "
                    + youthByAge.length);
        }
        if (geometry.isEmpty() || geometry.getDimension() != 2) {
            throw new IllegalArgumentException("geometry of " + id + " must be a non-empty polygon");
        }
    }

    /**
     * Ages {@code from..to} (inclusive, clamped to 6..18) as bits, age 6 the lowest: the form in which coverage
     * keeps which ages a reach serves or a unit has covered. 0 when the range is empty.
     */
    public static int ageBits(int from, int to) {
        int bits = 0;
        for (int age = Math.max(from, FIRST_AGE); age <= Math.min(to, LAST_AGE); age++) {
            bits |= 1 << (age - FIRST_AGE);
        }
        return bits;
    }

    /** Youth aged {@code from..to} (inclusive, clamped to 6..18). */
    public double youth(int from, int to) {
        double sum = 0;
        for (int age = Math.max(from, FIRST_AGE); age <= Math.min(to, LAST_AGE); age++) {
            sum += youthByAge[age - FIRST_AGE];
        }
        return sum;
    }
}
