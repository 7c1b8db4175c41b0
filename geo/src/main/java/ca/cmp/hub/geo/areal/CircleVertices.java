package ca.cmp.hub.geo.areal;

/**
 * How many vertices a service area's circle needs so that its polygon's area falls short of the disc's by at most a
 * given share: the regular {@code n}-gon inscribed in a circle of radius {@code r} has area
 * {@code (n/2) r² sin(2π/n)}, so it misses
 * <pre>  deficit(n) = 1 − sin(2π/n) / (2π/n)  ≈  (2π/n)² / 6</pre>
 * of the disc whatever the radius (about 0.16% for the 64-gon PostGIS draws by default, 0.0097% for 260). The
 * count is a multiple of four because PostGIS ({@code ST_Buffer(…, quad_segs)}) and JTS
 * ({@code buffer(r, quadrantSegments)}) both take the segments of a quarter circle.
 *
 * <p>Why it matters: areal weighting counts a unit's youth in proportion to its land inside the polygon, so every
 * unit along a reach's edge loses the sliver between chord and arc, and covered youth is biased low by about the
 * deficit (measured against a 8,192-gon in {@code bench/circle-bias.sh}). A relative tolerance, not metres,
 * because the bias is a share of each reach's youth at any radius; the chord's distance from the arc,
 * {@link #chordDeviation}, then grows with the radius (0.07 m at 1 km, 1.8 m at 25 km for 260 vertices).
 *
 * <p>The deficit is that of the planar polygon in the plane it is drawn in (for a PostGIS geography buffer, the
 * site's UTM zone); projecting the vertices afterwards moves them, not their count. Precondition: a tolerance in
 * {@code [MIN_TOLERANCE, MAX_TOLERANCE]}; tighter ones would multiply every analysis' clipping work (which grows
 * with the vertices) for figures already dominated by census rounding.
 */
public final class CircleVertices {

    /** 10⁻⁷ of the disc: 8,112 vertices (2,028 per quarter). */
    public static final double MIN_TOLERANCE = 1e-7;
    /** 1 − 2/π of the disc: the inscribed square, the coarsest polygon counted in quarters. */
    public static final double MAX_TOLERANCE = 1 - 2 / Math.PI;

    private CircleVertices() {
    }

    /**
     * The fewest segments per quarter circle whose inscribed polygon misses at most {@code areaTolerance} of the
     * disc.
     *
     * @param areaTolerance largest acceptable area deficit, as a share of the disc (1e-4 = 0.01%)
     * @throws IllegalArgumentException when the tolerance is not in {@code [MIN_TOLERANCE, MAX_TOLERANCE]}
     */
    public static int quadrantSegments(double areaTolerance) {
        if (!(areaTolerance >= MIN_TOLERANCE && areaTolerance <= MAX_TOLERANCE)) {
            throw new IllegalArgumentException("areaTolerance must be in [" + MIN_TOLERANCE + ", " + MAX_TOLERANCE
                    + "] (a share of the disc's area), got " + areaTolerance);
        }
        // Start from the series' estimate n ≈ 2π/√(6·tol), below the answer (the series overstates the deficit
        // by its x⁴/120 term), and step up to the first count within the tolerance.
        int q = Math.max(1, (int) Math.floor(2 * Math.PI / Math.sqrt(6 * areaTolerance) / 4) - 1);
        while (areaDeficit(4 * q) > areaTolerance) {
            q++;
        }
        return q;
    }

    /** The vertices of the polygon {@link #quadrantSegments} gives, four per quarter's segment. */
    public static int vertices(double areaTolerance) {
        return 4 * quadrantSegments(areaTolerance);
    }

    /**
     * The share of its disc that the regular polygon of {@code vertices} inscribed in it misses, in [0, 1).
     *
     * @param vertices at least 3
     */
    public static double areaDeficit(int vertices) {
        if (vertices < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 vertices, got " + vertices);
        }
        double x = 2 * Math.PI / vertices;
        // Below 1e-3 the subtraction would keep only ~10 digits; the series is exact to rounding there.
        return x < 1e-3 ? x * x / 6 * (1 - x * x / 20) : 1 - Math.sin(x) / x;
    }

    /**
     * How far, at most, the polygon's edge lies inside the arc: the sagitta {@code r (1 − cos(π/n))}, in the
     * radius' unit. The inscribed polygon's inradius (apothem) is {@code r} less this.
     */
    public static double chordDeviation(int vertices, double radius) {
        if (vertices < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 vertices, got " + vertices);
        }
        double half = Math.PI / vertices;
        // 2 sin²(θ/2) = 1 − cos θ, without the cancellation.
        double s = Math.sin(half / 2);
        return radius * 2 * s * s;
    }
}
