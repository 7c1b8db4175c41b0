package ca.cmp.hub.map.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.map.MapProperties;
import ca.cmp.hub.coverage.CoverageByArea;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.redis.RedisHealth;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * Mapbox Vector Tiles (web Mercator, EPSG:3857; extent 4096) of census areas with their coverage figures and of
 * program sites, built by PostGIS ({@code ST_AsMVT}). Figures come from the coverage analysis under its own
 * disclosure rule ({@link CoverageByArea}): a public tile carries protected figures, a funder's unrounded ones.
 *
 * <p>Tiles are cached in Redis under the data version, the dataset, the filter, whether the figures are
 * unrounded, and z/x/y: a write bumps the version, which makes every older tile unreachable at once (they then
 * expire). The version is {@link DataVersion#recent()}: heard from PostgreSQL, not asked of it per tile. Geometry is simplified per zoom to about a tile unit, so a view costs kilobytes, not megabytes.
 */
@Component
public class VectorTiles {

    /** Beyond this zoom tiles get no finer: MapLibre and Leaflet over-zoom the last level. */
    public static final int MAX_ZOOM = 16;
    static final int EXTENT = 4096;
    static final int BUFFER = 64;
    /** Web Mercator's circumference at the equator, metres. */
    static final double WORLD_M = 40_075_016.685578488;
    /** Programs closer than this (pixels of a 256-pixel tile) are one cluster below {@link #CLUSTER_UNTIL}. */
    static final int CLUSTER_PX = 40;
    static final int CLUSTER_UNTIL = 12;

    /** Where a tile came from, for the response's {@code Server-Timing}. */
    public enum Source { MEMORY, REDIS, BUILT }

    /**
     * A tile and the key it is cached under (also its ETag); {@code lookupNanos}: reading the data version and
     * checking the dataset, before any cache was asked.
     */
    public record Tile(byte[] bytes, String key, Source source, long lookupNanos) {
    }

    private final JdbcClient jdbc;
    private final CoverageByArea coverage;
    private final CensusDatasets datasets;
    private final DataVersion version;
    private final JedisPooled jedis;
    private final RedisHealth redis;

    private final TileMemory memory;
    /** Datasets known to exist at one data version (a load or removal of a dataset moves the version on). */
    private volatile Known known = new Known(-1, java.util.Set.of());

    private record Known(long version, java.util.Set<String> datasets) {
    }

    VectorTiles(JdbcClient jdbc, CoverageByArea coverage, CensusDatasets datasets, DataVersion version,
            JedisPooled jedis, RedisHealth redis, MapProperties properties) {
        this.memory = new TileMemory((long) properties.tileMemoryMb() << 20);
        this.jdbc = jdbc;
        this.coverage = coverage;
        this.datasets = datasets;
        this.version = version;
        this.jedis = jedis;
        this.redis = redis;
    }

    /** Which figures an area tile carries. */
    public enum Metric { COVERAGE, ACCESS }

    /**
     * Census areas of {@code dataset} meeting tile z/x/y, layer {@code areas}, with coverage (youth, covered,
     * uncovered, ratio, suppressed, programs_reaching) or access (youth, places_per_1000) under the filter.
     */
    public Tile areas(String dataset, int z, int x, int y, String filterJson, Metric metric, int ttlMinutes) {
        check(z, x, y);
        long started = System.nanoTime();
        // The data version as this instance heard it (no round trip; exact for its own writes, others' at their
        // notification): a warm tile is then answered from memory alone.
        long v = version.recent();
        Known k = known;
        if (k.version() != v || !k.datasets().contains(dataset)) {
            if (datasets.find(dataset).isEmpty()) {
                throw new InvalidArgumentException("dataset", "no census dataset \"" + dataset + "\" is loaded");
            }
            java.util.Set<String> ids = new java.util.HashSet<>(k.version() == v ? k.datasets() : java.util.Set.of());
            ids.add(dataset);
            known = new Known(v, java.util.Set.copyOf(ids));
        }
        Object filter = coverage.filter(filterJson);
        String key = key("areas-" + metric.name().toLowerCase(), v, dataset, coverage.describe(filter),
                coverage.detailed(), z, x, y);
        return cached(key, System.nanoTime() - started, ttlMinutes, () -> metric == Metric.ACCESS ? buildAccess(dataset, z, x, y, filter)
                : buildAreas(dataset, z, x, y, filter));
    }

    /** Sites of ACTIVE programs fitting the filter in tile z/x/y, layer {@code programs}; clustered when zoomed out. */
    public Tile programs(int z, int x, int y, String filterJson, int ttlMinutes) {
        check(z, x, y);
        long started = System.nanoTime();
        Object filter = coverage.filter(filterJson);
        String key = key("programs", version.recent(), "-", coverage.describe(filter), false, z, x, y);
        return cached(key, System.nanoTime() - started, ttlMinutes, () -> buildPrograms(z, x, y, filter));
    }

    private static void check(int z, int x, int y) {
        if (z < 0 || z > MAX_ZOOM) {
            throw new InvalidArgumentException("z", "must be from 0 to " + MAX_ZOOM + ", got " + z);
        }
        int n = 1 << z;
        if (x < 0 || x >= n) {
            throw new InvalidArgumentException("x", "must be from 0 to " + (n - 1) + " at zoom " + z + ", got " + x);
        }
        if (y < 0 || y >= n) {
            throw new InvalidArgumentException("y", "must be from 0 to " + (n - 1) + " at zoom " + z + ", got " + y);
        }
    }

    private static String key(String kind, long version, String dataset, String filter, boolean detailed, int z,
            int x, int y) {
        return "tile:" + kind + ":v" + version + ":" + dataset + ":" + (detailed ? "unrounded" : "public")
                + ":" + digest(filter) + ":" + z + "/" + x + "/" + y;
    }

    private Tile cached(String key, long lookupNanos, int ttlMinutes, Supplier<byte[]> build) {
        byte[] raw = key.getBytes(StandardCharsets.UTF_8);
        if (ttlMinutes > 0) {
            byte[] kept = memory.get(key);
            if (kept != null) {
                return new Tile(kept, key, Source.MEMORY, lookupNanos);
            }
            byte[] hit = redis.call(() -> jedis.get(raw), () -> null);
            if (hit != null) {
                memory.put(key, hit);
                return new Tile(hit, key, Source.REDIS, lookupNanos);
            }
        }
        byte[] tile = build.get();
        if (ttlMinutes > 0) {
            memory.put(key, tile);
            redis.call(() -> jedis.set(raw, tile, SetParams.setParams().ex(ttlMinutes * 60L)), () -> null);
        }
        return new Tile(tile, key, Source.BUILT, lookupNanos);
    }

    /** Step 1, an index scan: which areas the tile meets, so only their figures travel to PostGIS. */
    private List<String> codes(Map<String, Object> params) {
        return jdbc.sql("""
                SELECT code FROM census_area
                WHERE dataset_id = :dataset
                  AND boundary && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => :margin), 4326)""")
                .params(params).query(String.class).list();
    }

    private byte[] buildAccess(String dataset, int z, int x, int y, Object filter) {
        Map<String, Object> params = tileParams(z, x, y);
        params.put("dataset", dataset);
        List<String> codes = codes(params);
        if (codes.isEmpty()) {
            return new byte[0];
        }
        Map<String, CoverageByArea.Access> figures = coverage.access(dataset, filter, codes);
        int n = codes.size();
        Double[] youth = new Double[n];
        Double[] places = new Double[n];
        for (int i = 0; i < n; i++) {
            CoverageByArea.Access a = figures.get(codes.get(i));
            if (a != null) {
                youth[i] = a.youth();
                places[i] = a.placesPer1000();
            }
        }
        params.put("codes", codes.toArray(String[]::new));
        params.put("youth", youth);
        params.put("places", places);
        return jdbc.sql("""
                WITH f AS (
                  SELECT * FROM unnest(:codes::text[], :youth::float8[], :places::float8[])
                           AS f(code, youth, places_per_1000)),
                t AS (
                  SELECT %s AS geom, a.code, a.name, a.province, f.youth, f.places_per_1000
                  FROM census_area a JOIN f ON f.code = a.code
                  WHERE a.dataset_id = :dataset)
                SELECT ST_AsMVT(t, 'areas', :extent, 'geom') FROM t WHERE geom IS NOT NULL""".formatted(GEOMETRY))
                .params(params).query(byte[].class).optional().orElse(new byte[0]);
    }

    /**
     * An area's outline in the tile: simplified in degrees before projecting (cheaper than after), by half a tile
     * unit of longitude, which is at most one unit of latitude anywhere south of 60 degrees.
     */
    private static final String GEOMETRY = "ST_AsMVTGeom(ST_Transform(ST_Simplify(a.boundary, :tolerance, true), "
            + "3857), ST_TileEnvelope(:z, :x, :y), :extent, :buffer, true)";

    private byte[] buildAreas(String dataset, int z, int x, int y, Object filter) {
        Map<String, Object> params = tileParams(z, x, y);
        params.put("dataset", dataset);
        List<String> codes = codes(params);
        if (codes.isEmpty()) {
            return new byte[0];
        }
        Map<String, CoverageByArea.Area> figures = coverage.published(dataset, filter, codes);
        int n = codes.size();
        Double[] youth = new Double[n];
        Double[] covered = new Double[n];
        Double[] uncovered = new Double[n];
        Double[] ratio = new Double[n];
        Boolean[] suppressed = new Boolean[n];
        Integer[] reaching = new Integer[n];
        for (int i = 0; i < n; i++) {
            CoverageByArea.Area a = figures.get(codes.get(i));
            if (a != null) {
                youth[i] = a.youth();
                covered[i] = a.covered();
                uncovered[i] = a.uncovered();
                ratio[i] = a.ratio();
                suppressed[i] = a.suppressed();
                reaching[i] = a.programsReaching();
            }
        }
        params.put("codes", codes.toArray(String[]::new));
        params.put("youth", youth);
        params.put("covered", covered);
        params.put("uncovered", uncovered);
        params.put("ratio", ratio);
        params.put("suppressed", suppressed);
        params.put("reaching", reaching);
        return jdbc.sql("""
                WITH f AS (
                  SELECT * FROM unnest(:codes::text[], :youth::float8[], :covered::float8[], :uncovered::float8[],
                                       :ratio::float8[], :suppressed::boolean[], :reaching::int[])
                           AS f(code, youth, covered, uncovered, ratio, suppressed, programs_reaching)),
                t AS (
                  SELECT %s AS geom, a.code, a.name, a.province, f.youth, f.covered, f.uncovered, f.ratio, f.suppressed,
                         f.programs_reaching
                  FROM census_area a JOIN f ON f.code = a.code
                  WHERE a.dataset_id = :dataset)
                SELECT ST_AsMVT(t, 'areas', :extent, 'geom') FROM t WHERE geom IS NOT NULL""".formatted(GEOMETRY))
                .params(params).query(byte[].class).optional().orElse(new byte[0]);
    }

    private byte[] buildPrograms(int z, int x, int y, Object filter) {
        Map<String, Object> params = tileParams(z, x, y);
        StringBuilder where = new StringBuilder("p.status = 'ACTIVE'");
        coverage.appendProgramConditions(filter, where, params);
        String sites = """
                SELECT ST_Transform(s.location, 3857) AS g, p.id, p.name, p.service_radius_km, p.model,
                       p.delivery_mode
                FROM site s JOIN program p ON p.id = s.program_id
                WHERE s.location && ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AND
                """ + where;
        String sql;
        if (z < CLUSTER_UNTIL) {
            // One point per cell of CLUSTER_PX pixels, counting programs (not sites), named after one of them.
            params.put("cell", WORLD_M / (1L << z) / 256 * CLUSTER_PX);
            sql = """
                    WITH s AS (%s),
                    c AS (
                      SELECT ST_AsMVTGeom(ST_Centroid(ST_Collect(g)), ST_TileEnvelope(:z, :x, :y), :extent, :buffer,
                                          true) AS geom,
                             count(DISTINCT id)::int AS programs, min(id::text) AS id, min(name) AS name,
                             max(service_radius_km) AS radius_km
                      FROM s GROUP BY ST_SnapToGrid(g, :cell))
                    SELECT ST_AsMVT(c, 'programs', :extent, 'geom') FROM c WHERE geom IS NOT NULL""".formatted(sites);
        } else {
            sql = """
                    WITH s AS (%s),
                    c AS (
                      SELECT ST_AsMVTGeom(g, ST_TileEnvelope(:z, :x, :y), :extent, :buffer, true) AS geom,
                             1 AS programs, id::text AS id, name, service_radius_km AS radius_km, model,
                             delivery_mode AS mode
                      FROM s)
                    SELECT ST_AsMVT(c, 'programs', :extent, 'geom') FROM c WHERE geom IS NOT NULL""".formatted(sites);
        }
        return jdbc.sql(sql).params(params).query(byte[].class).optional().orElse(new byte[0]);
    }

    private static Map<String, Object> tileParams(int z, int x, int y) {
        Map<String, Object> params = new HashMap<>();
        params.put("z", z);
        params.put("x", x);
        params.put("y", y);
        params.put("extent", EXTENT);
        params.put("buffer", BUFFER);
        params.put("margin", (double) BUFFER / EXTENT);
        params.put("tolerance", 180.0 / (EXTENT * (double) (1L << z)));
        return params;
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
