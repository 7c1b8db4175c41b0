package ca.cmp.hub.geo.areal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A sparse grid of square buckets over the small census units of one analysis, recording for each bucket the
 * reaches that cover it whole and the reaches that only cross it.
 *
 * <p>Why: in a dense city a 400 m unit lies inside the envelopes of hundreds of 5–20 km reaches, and testing each
 * pair costs more than everything else in the analysis. A reach, though, is rasterized once: every bucket deep
 * inside it (by its {@link DiscBounds}, or by an exact test where the bounds are loose) only increments a counter
 * and ors in the ages the reach serves; only the buckets its boundary crosses list it. A unit then reads its
 * count of reaches and the ages covered from one bucket, and tests just the reaches crossing it.
 *
 * <p>Each bucket stands for its square <em>grown by a margin</em> on every side, so that a unit whose envelope
 * fits in the grown square of the bucket holding its centre is answered by that bucket alone ("fits"); larger
 * units are not on the grid ({@link #meeting} returns null) and are summed bucket by bucket over an
 * {@link #overReaches} grid instead. The margin is the 90th percentile of the units' half-extents, but at most a
 * quarter of the median reach radius (larger units gain nothing from this grid); the bucket side four margins (but at least a sixteenth of the
 * median reach radius, so big reaches do not fill too many buckets). Only tiles of 64×64 buckets that hold a
 * fitting unit exist.
 *
 * <p>Exact by construction: a reach is recorded as covering a bucket only when it provably contains the grown
 * square, and left out only when it provably misses it; everything else is listed and tested exactly later.
 * Planar coordinates (metres). Built on all cores (tiles shared out, never written by two threads); read-only
 * afterwards, so reads are thread-safe.
 */
final class ReachGrid {

    private static final int TILE_BITS = 6;
    private static final int TILE = 1 << TILE_BITS;
    private static final int LOW = TILE - 1;
    private static final GeometryFactory RECTANGLES = new GeometryFactory();

    private static final class Tile {
        final int[] deep = new int[TILE * TILE];
        final int[] ages = new int[TILE * TILE];
        final int[][] crossing = new int[TILE * TILE][];
        final int[] crossingCount = new int[TILE * TILE];
    }

    private final double size;
    private final double margin;
    private final Map<Long, Tile> tiles = new HashMap<>();
    private final IndexedReach[] entries;
    private final int[] ageBits;
    /** The window's ages as bits: a unit whose bucket covers all of them only needs its count of reaches. */
    private final int window;
    private final List<IndexedReach> offGrid = new ArrayList<>();
    /** The entries' disc bounds, flat: the crossing test runs over these without touching the entries. */
    private final double[] cx;
    private final double[] cy;
    private final double[] inner2;
    private final double[] outer2;

    private ReachGrid(double size, double margin, List<IndexedReach> entries, int from, int to) {
        this.size = size;
        this.margin = margin;
        this.entries = entries.toArray(IndexedReach[]::new);
        this.ageBits = new int[this.entries.length];
        this.window = CensusUnit.ageBits(from, to);
        this.cx = new double[this.entries.length];
        this.cy = new double[this.entries.length];
        this.inner2 = new double[this.entries.length];
        this.outer2 = new double[this.entries.length];
        for (int k = 0; k < this.entries.length; k++) {
            DiscBounds b = this.entries[k].bounds();
            cx[k] = b.x();
            cy[k] = b.y();
            inner2[k] = b.inner() * b.inner();
            outer2[k] = b.outer() * b.outer();
            ServiceReach r = this.entries[k].reach();
            ageBits[k] = CensusUnit.ageBits(Math.max(r.minAge(), from), Math.min(r.maxAge(), to));
        }
    }

    /**
     * @param units   the analysis' census units (their sizes choose the bucket side)
     * @param entries reaches serving some age of {@code from..to} (others must be left out by the caller)
     */
    static ReachGrid build(List<CensusUnit> units, List<IndexedReach> entries, int from, int to) {
        double[] half = new double[units.size()];
        for (int i = 0; i < half.length; i++) {
            Envelope e = units.get(i).geometry().getEnvelopeInternal();
            half[i] = Math.max(e.getWidth(), e.getHeight()) / 2;
        }
        Arrays.sort(half);
        double[] radii = entries.stream().mapToDouble(e -> e.bounds().outer()).sorted().toArray();
        double medianRadius = radii.length == 0 ? 0 : radii[radii.length / 2];
        // Units large next to the reaches gain nothing here (every reach would cross their bucket).
        double margin = half.length == 0 ? 1
                : Math.max(1, Math.min(half[(int) (half.length * 0.9)], medianRadius / 4));
        double size = Math.max(4 * margin, medianRadius / 16);
        ReachGrid grid = new ReachGrid(size, margin, entries, from, to);
        for (CensusUnit u : units) {
            long[] bucket = grid.bucketOf(u.geometry().getEnvelopeInternal());
            if (bucket != null) {
                grid.tiles.computeIfAbsent(key(bucket[0] >> TILE_BITS, bucket[1] >> TILE_BITS), k -> new Tile());
            }
        }
        grid.rasterizeAll();
        return grid;
    }

    /**
     * Rasterizes every reach, on all cores: each thread owns a share of the tiles (no bucket is written by two
     * threads) and goes through the reaches in order, so every bucket lists its crossing reaches in reach order.
     */
    private void rasterizeAll() {
        if (tiles.isEmpty()) {
            return;
        }
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), tiles.size()));
        java.util.stream.IntStream.range(0, parts).parallel().forEach(part -> {
            for (int k = 0; k < entries.length; k++) {
                rasterize(k, parts, part);
            }
        });
    }

    /**
     * A grid for units too large for {@link #build}'s: buckets a quarter of the median reach radius, no margin,
     * tiles wherever a reach is; read bucket by bucket with {@link #forEachBucket}.
     */
    static ReachGrid overReaches(List<IndexedReach> entries, int from, int to) {
        double[] radii = entries.stream().mapToDouble(e -> e.bounds().outer()).sorted().toArray();
        double size = Math.max(50, radii.length == 0 ? 1_000 : radii[radii.length / 2] / 4);
        double tileSide = size * TILE;
        // A part spanning more than this many tiles (a region polygon, a far-flung program's union) would fill
        // memory with buckets: such reaches stay off this grid, and units they meet are evaluated exactly without it.
        int maxTiles = 64;
        List<IndexedReach> kept = new ArrayList<>();
        List<IndexedReach> huge = new ArrayList<>();
        for (IndexedReach entry : entries) {
            Geometry area = entry.reach().area();
            boolean small = true;
            for (int p = 0; p < area.getNumGeometries() && small; p++) {
                Envelope e = area.getGeometryN(p).getEnvelopeInternal();
                small = (Math.floor(e.getMaxX() / tileSide) - Math.floor(e.getMinX() / tileSide) + 1)
                        * (Math.floor(e.getMaxY() / tileSide) - Math.floor(e.getMinY() / tileSide) + 1) <= maxTiles;
            }
            (small ? kept : huge).add(entry);
        }
        ReachGrid grid = new ReachGrid(size, 0, kept, from, to);
        grid.offGrid.addAll(huge);
        for (IndexedReach entry : grid.entries) {
            Geometry area = entry.reach().area();
            for (int p = 0; p < area.getNumGeometries(); p++) {
                Envelope e = area.getGeometryN(p).getEnvelopeInternal();
                for (long ti = (long) Math.floor(e.getMinX() / tileSide);
                        ti <= (long) Math.floor(e.getMaxX() / tileSide); ti++) {
                    for (long tj = (long) Math.floor(e.getMinY() / tileSide);
                            tj <= (long) Math.floor(e.getMaxY() / tileSide); tj++) {
                        grid.tiles.computeIfAbsent(key(ti, tj), k -> new Tile());
                    }
                }
            }
        }
        grid.rasterizeAll();
        return grid;
    }

    /** Reaches {@link #overReaches} left off the grid: a unit meeting one of them must not be read from it. */
    List<IndexedReach> offGrid() {
        return offGrid;
    }

    /** One bucket's square and what it holds: reaches covering it whole (count, ages), and those crossing it. */
    interface BucketVisitor {
        void visit(Envelope square, int deep, int ages, List<IndexedReach> crossing);
    }

    /** Visits every bucket meeting the envelope that some reach covers or crosses. */
    void forEachBucket(Envelope e, BucketVisitor visitor) {
        long i0 = (long) Math.floor(e.getMinX() / size);
        long i1 = (long) Math.floor(e.getMaxX() / size);
        long j0 = (long) Math.floor(e.getMinY() / size);
        long j1 = (long) Math.floor(e.getMaxY() / size);
        for (long ti = i0 >> TILE_BITS; ti <= i1 >> TILE_BITS; ti++) {
            for (long tj = j0 >> TILE_BITS; tj <= j1 >> TILE_BITS; tj++) {
                Tile tile = tiles.get(key(ti, tj));
                if (tile == null) {
                    continue;
                }
                for (long j = Math.max(j0, tj * TILE); j <= Math.min(j1, tj * TILE + LOW); j++) {
                    for (long i = Math.max(i0, ti * TILE); i <= Math.min(i1, ti * TILE + LOW); i++) {
                        int b = index(i, j);
                        int count = tile.crossingCount[b];
                        if (tile.deep[b] == 0 && count == 0) {
                            continue;
                        }
                        List<IndexedReach> crossing = new ArrayList<>(count);
                        for (int c = 0; c < count; c++) {
                            crossing.add(entries[tile.crossing[b][c]]);
                        }
                        visitor.visit(new Envelope(i * size, (i + 1) * size, j * size, (j + 1) * size), tile.deep[b],
                                tile.ages[b], crossing);
                    }
                }
            }
        }
    }

    /** Whether {@link #meeting} answers for the unit (its envelope fits a bucket's grown square). */
    boolean fits(CensusUnit unit) {
        return bucketOf(unit.geometry().getEnvelopeInternal()) != null;
    }

    /** The bucket (column, row) whose grown square holds the envelope, or null when the envelope is too large. */
    private long[] bucketOf(Envelope e) {
        long i = (long) Math.floor((e.getMinX() + e.getMaxX()) / 2 / size);
        long j = (long) Math.floor((e.getMinY() + e.getMaxY()) / 2 / size);
        boolean fits = e.getMinX() >= i * size - margin && e.getMaxX() <= (i + 1) * size + margin
                && e.getMinY() >= j * size - margin && e.getMaxY() <= (j + 1) * size + margin;
        return fits ? new long[] {i, j} : null;
    }

    private static long key(long ti, long tj) {
        return (ti << 32) ^ (tj & 0xffffffffL);
    }

    private static boolean owns(long key, int parts, int part) {
        return Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), parts) == part;
    }

    /** Classifies reach k against the tiles that thread {@code part} of {@code parts} owns. */
    private void rasterize(int k, int parts, int part) {
        Envelope e = entries[k].reach().area().getEnvelopeInternal();
        double tileSide = size * TILE;
        long ti0 = (long) Math.floor((e.getMinX() - margin) / tileSide);
        long ti1 = (long) Math.floor((e.getMaxX() + margin) / tileSide);
        long tj0 = (long) Math.floor((e.getMinY() - margin) / tileSide);
        long tj1 = (long) Math.floor((e.getMaxY() + margin) / tileSide);
        if ((ti1 - ti0 + 1) * (tj1 - tj0 + 1) > tiles.size()) {
            for (Map.Entry<Long, Tile> t : tiles.entrySet()) {
                long ti = t.getKey() >> 32;
                long tj = (int) (long) t.getKey();
                if (ti >= ti0 && ti <= ti1 && tj >= tj0 && tj <= tj1 && owns(t.getKey(), parts, part)) {
                    classifyTile(t.getValue(), k, ti, tj);
                }
            }
            return;
        }
        for (long ti = ti0; ti <= ti1; ti++) {
            for (long tj = tj0; tj <= tj1; tj++) {
                long key = key(ti, tj);
                Tile tile = owns(key, parts, part) ? tiles.get(key) : null;
                if (tile != null) {
                    classifyTile(tile, k, ti, tj);
                }
            }
        }
    }

    /**
     * Classifies the tile's buckets against reach k: by rows, each bucket whose grown square the outer disc may
     * meet taken by the same two disc tests as {@link #classify} would apply to it alone, when the disc bounds are
     * tight enough to settle squares of a bucket's size (a circle); else recursively by {@link #classify}. Both give
     * the same buckets: a block's tests hold for every bucket in it (the distances only shrink).
     */
    private void classifyTile(Tile tile, int k, long ti, long tj) {
        DiscBounds b = entries[k].bounds();
        if (b.slack() > size) {
            classify(tile, k, ti * TILE, tj * TILE, TILE);
            return;
        }
        double x = b.x();
        double y = b.y();
        double outer = b.outer();
        long jFirst = Math.max(tj * TILE, (long) Math.floor((y - outer - margin) / size) - 1);
        long jLast = Math.min(tj * TILE + LOW, (long) Math.floor((y + outer + margin) / size) + 1);
        for (long j = jFirst; j <= jLast; j++) {
            double y0 = j * size - margin;
            double y1 = (j + 1) * size + margin;
            double dy = Math.max(0, Math.max(y0 - y, y - y1));
            if (dy > outer) {
                continue;
            }
            double half = Math.sqrt(outer * outer - dy * dy);
            long iFirst = Math.max(ti * TILE, (long) Math.floor((x - half - margin) / size) - 1);
            long iLast = Math.min(ti * TILE + LOW, (long) Math.floor((x + half + margin) / size) + 1);
            int row = (int) (j & LOW) * TILE;
            for (long i = iFirst; i <= iLast; i++) {
                double x0 = i * size - margin;
                double x1 = (i + 1) * size + margin;
                if (b.outerMisses(x0, y0, x1, y1)) {
                    continue;
                }
                int bucket = row + (int) (i & LOW);
                if (b.innerContains(x0, y0, x1, y1)) {
                    tile.deep[bucket]++;
                    tile.ages[bucket] |= ageBits[k];
                } else {
                    cross(tile, bucket, k);
                }
            }
        }
    }

    private static void cross(Tile tile, int bucket, int k) {
        int[] list = tile.crossing[bucket];
        if (list == null) {
            list = tile.crossing[bucket] = new int[4];
        } else if (tile.crossingCount[bucket] == list.length) {
            list = tile.crossing[bucket] = Arrays.copyOf(list, list.length * 2);
        }
        list[tile.crossingCount[bucket]++] = k;
    }

    /** Classifies the square of {@code span}×{@code span} buckets at (i0, j0) against reach k, recursively. */
    private void classify(Tile tile, int k, long i0, long j0, int span) {
        double x0 = i0 * size - margin;
        double y0 = j0 * size - margin;
        double x1 = (i0 + span) * size + margin;
        double y1 = (j0 + span) * size + margin;
        IndexedReach entry = entries[k];
        DiscBounds b = entry.bounds();
        if (b.outerMisses(x0, y0, x1, y1)) {
            return;
        }
        if (b.innerContains(x0, y0, x1, y1)) {
            fill(tile, k, i0, j0, span);
            return;
        }
        if (b.slack() > size) {
            // Bounds too loose to settle squares of this size (a non-circular area): ask the geometry.
            Geometry square = RECTANGLES.toGeometry(new Envelope(x0, x1, y0, y1));
            if (!entry.prepared().intersects(square)) {
                return;
            }
            if (entry.prepared().contains(square)) {
                fill(tile, k, i0, j0, span);
                return;
            }
        }
        if (span == 1) {
            cross(tile, index(i0, j0), k);
            return;
        }
        int half = span / 2;
        classify(tile, k, i0, j0, half);
        classify(tile, k, i0 + half, j0, half);
        classify(tile, k, i0, j0 + half, half);
        classify(tile, k, i0 + half, j0 + half, half);
    }

    private void fill(Tile tile, int k, long i0, long j0, int span) {
        for (long j = j0; j < j0 + span; j++) {
            int row = (int) (j & LOW) * TILE;
            for (long i = i0; i < i0 + span; i++) {
                int b = row + (int) (i & LOW);
                tile.deep[b]++;
                tile.ages[b] |= ageBits[k];
            }
        }
    }

    private static int index(long i, long j) {
        return (int) (j & LOW) * TILE + (int) (i & LOW);
    }

    /**
     * What the unit meets, or null when it is too large for the grid. A reach crossing the unit's bucket is
     * settled by its discs where it can be: missed by the outer disc, contained by the inner one, or meeting the
     * inner one (a rectangle, which is its own envelope, when its envelope does; any other unit when one of its
     * vertices lies in the disc), which costs the least and is tried first; only the rest is tested exactly: by
     * {@link SeparatingAxis} when both the reach and the unit are convex (the 400 m cells and circles of a city),
     * else, or when rounding could decide that, by JTS' prepared {@code intersects}.
     */
    Meeting meeting(CensusUnit unit) {
        Geometry g = unit.geometry();
        Envelope e = g.getEnvelopeInternal();
        long[] bucket = bucketOf(e);
        if (bucket == null) {
            return null;
        }
        Tile tile = tiles.get(key(bucket[0] >> TILE_BITS, bucket[1] >> TILE_BITS));
        int b = index(bucket[0], bucket[1]);
        int count = tile.crossingCount[b];
        if (count == 0) {
            return new Meeting(tile.ages[b], tile.deep[b], List.of(), new Boolean[0]);
        }
        boolean rectangle = g instanceof org.locationtech.jts.geom.Polygon p && p.isRectangle();
        Coordinate[] vertices = null;
        // The unit's ring when it is convex, taken at the first reach that needs it.
        ConvexClipArea.Convex ring = null;
        boolean ringTaken = false;
        boolean countOnly = (tile.ages[b] & window) == window;
        double minX = e.getMinX();
        double minY = e.getMinY();
        double maxX = e.getMaxX();
        double maxY = e.getMaxY();
        int[] list = tile.crossing[b];
        int[] met = countOnly ? null : new int[count];
        boolean[] inside = countOnly ? null : new boolean[count];
        int n = 0;
        for (int c = 0; c < count; c++) {
            int k = list[c];
            double nx = Math.max(0, Math.max(minX - cx[k], cx[k] - maxX));
            double ny = Math.max(0, Math.max(minY - cy[k], cy[k] - maxY));
            double near2 = nx * nx + ny * ny;
            if (near2 > outer2[k]) {
                continue;
            }
            double fx = Math.max(Math.abs(minX - cx[k]), Math.abs(maxX - cx[k]));
            double fy = Math.max(Math.abs(minY - cy[k]), Math.abs(maxY - cy[k]));
            // inner2 == 0: no inner disc (the centre may even lie outside the area), nothing is proved by it.
            if (inner2[k] > 0 && fx * fx + fy * fy <= inner2[k]) {
                if (!countOnly) {
                    inside[n] = true;
                    met[n] = k;
                }
                n++;
                continue;
            }
            boolean meets;
            if (near2 < inner2[k] && rectangle) {
                // The rectangle reaches into the inner disc: the cheapest proof, and the usual one for a cell
                // straddling a circle's edge (a many-vertex circle would cost its separating axis test more).
                meets = true;
            } else {
                if (vertices == null && !rectangle) {
                    vertices = g.getCoordinates();
                }
                Boolean separated = null;
                if (near2 < inner2[k] && !rectangle && anyWithin(vertices, k)) {
                    separated = Boolean.TRUE;
                } else if (entries[k].exactlyConvex()) {
                    if (!ringTaken) {
                        ring = SeparatingAxis.convexRing(g);
                        ringTaken = true;
                    }
                    if (ring != null) {
                        separated = SeparatingAxis.meets(entries[k].convex(), ring);
                    }
                }
                meets = separated != null ? separated : entries[k].prepared().intersects(g);
            }
            if (meets) {
                if (!countOnly) {
                    met[n] = k;
                }
                n++;
            }
        }
        if (countOnly) {
            // Every counted age is covered whole: the crossing reaches only add to the count.
            return new Meeting(tile.ages[b], tile.deep[b] + n, List.of(), new Boolean[0]);
        }
        List<IndexedReach> crossing = new ArrayList<>(n);
        Boolean[] contains = new Boolean[n];
        for (int c = 0; c < n; c++) {
            crossing.add(entries[met[c]]);
            if (inside[c]) {
                contains[c] = Boolean.TRUE;
            }
        }
        return new Meeting(tile.ages[b], tile.deep[b], crossing, contains);
    }

    /** Whether a vertex lies strictly inside reach k's inner disc (then the unit meets the reach). */
    private boolean anyWithin(Coordinate[] vertices, int k) {
        for (Coordinate c : vertices) {
            double dx = c.x - cx[k];
            double dy = c.y - cy[k];
            if (dx * dx + dy * dy < inner2[k]) {
                return true;
            }
        }
        return false;
    }

    /** Bucket side and margin, metres (for tests and reports). */
    double size() {
        return size;
    }

    double margin() {
        return margin;
    }
}
