package ca.cmp.hub.sync.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Orders written programs so that their sites reach the site table's two spatial (GiST) indexes in space-filling
 * curve order. Each GiST insert descends the tree along the entries it falls into; in a feed's own order (often
 * alphabetical, or by id) consecutive points lie anywhere in Canada, and every insert touches other pages. In
 * Z order (Morton: longitude and latitude quantised to 16 bits each, bits interleaved, as a geohash does)
 * consecutive points are neighbours, and the inserts stay on the pages just used: a 60,000-site COPY took a
 * quarter less. Nothing reads sites in insertion order (a program's sites are listed by name and id, and a
 * program keeps its sites together and in their order here); the order only changes how fast they are written.
 */
public final class ZOrder {

    private ZOrder() {
    }

    /**
     * The items by the Z-order key of a point of each ({@code point} gives {longitude, latitude}, or null for an
     * item without one: those come first), stably.
     */
    public static <T> List<T> ordered(List<T> items, Function<T, double[]> point) {
        long[] keys = new long[items.size()];
        Integer[] order = new Integer[items.size()];
        for (int i = 0; i < keys.length; i++) {
            double[] p = point.apply(items.get(i));
            keys[i] = p == null ? -1 : key(p[0], p[1]);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> keys[i]));
        return Arrays.stream(order).map(items::get).toList();
    }

    /** The Morton key of a WGS 84 point: 16 bits of longitude (-180..180) and latitude (-90..90), interleaved. */
    public static long key(double longitude, double latitude) {
        long x = quantise((longitude + 180) / 360);
        long y = quantise((latitude + 90) / 180);
        return spread(x) | spread(y) << 1;
    }

    private static long quantise(double unit) {
        return Math.max(0, Math.min(0xffff, (long) (unit * 0x10000)));
    }

    /** The 16 bits of v on the even bit positions of a 32-bit value. */
    private static long spread(long v) {
        v = (v | v << 8) & 0x00ff00ffL;
        v = (v | v << 4) & 0x0f0f0f0fL;
        v = (v | v << 2) & 0x33333333L;
        v = (v | v << 1) & 0x55555555L;
        return v;
    }
}
