package ca.cmp.hub.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

import ca.cmp.hub.redis.RedisHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;
import tools.jackson.databind.json.JsonMapper;

/**
 * Analysis results shared by every hub instance through Redis, keyed by the data version and the request, so a
 * result computed on one instance is served by all and a data change makes every older result unreachable at
 * once (they then expire). Without Redis the hub computes uncached.
 *
 * <p>Results this instance read or computed last are also held in its memory, deserialized ({@link HeldResults}):
 * they are shared by all callers, who must not change them.
 *
 * <p>Metrics: {@code hub.analysis.cache} counts lookups by kind and result (held: from this instance's memory;
 * hit: from Redis; miss; joined when another request of this instance was already computing it; off when caching
 * is disabled; a lookup while Redis is down is a miss), {@code hub.analysis} times each computation by kind and
 * dataset.
 */
@Component
public class AnalysisCache {

    /** {@code heldMegabytes}: the budget of {@link HeldResults} (JSON size, millions of characters); 0 holds none. */
    @ConfigurationProperties("hub.cache")
    record Settings(boolean enabled, int ttlMinutes, @DefaultValue("64") int heldMegabytes) {
    }

    /** A request that names the census dataset it analyses, for the metrics' {@code dataset} tag. */
    public interface OfDataset {
        String dataset();
    }

    private final Settings settings;
    private final JedisPooled jedis;
    private final RedisHealth redis;
    private final DataVersion version;
    private final MeterRegistry meters;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SingleFlight<String, Object> computing = new SingleFlight<>();
    private final HeldResults held;

    AnalysisCache(Settings settings, JedisPooled jedis, RedisHealth redis, DataVersion version, MeterRegistry meters) {
        this.settings = settings;
        this.held = new HeldResults(settings.heldMegabytes() * 1_000_000L,
                java.util.concurrent.TimeUnit.MINUTES.toNanos(settings.ttlMinutes()));
        this.jedis = jedis;
        this.redis = redis;
        this.version = version;
        this.meters = meters;
        Gauge.builder("hub.analysis.held", held, HeldResults::chars).baseUnit("characters")
                .description("Analysis results held in this instance's memory, by the length of their JSON")
                .register(meters);
    }

    /**
     * The cached result for {@code request} of {@code kind} at the current data version, or the computed one
     * (then stored). {@code request} must describe everything the result depends on besides the data.
     */
    public <T> T get(String kind, Object request, Class<T> type, Supplier<T> compute) {
        if (!settings.enabled()) {
            lookup(kind, "off");
            return timed(kind, request, compute);
        }
        long at = version.current();
        String key = "analysis:" + kind + ":v" + at + ":" + digest(json.writeValueAsString(request));
        Object local = held.get(key);
        if (type.isInstance(local)) {
            lookup(kind, "held");
            return type.cast(local);
        }
        String cached = redis.call(() -> jedis.get(key), () -> null);
        if (cached != null) {
            lookup(kind, "hit");
            T result = json.readValue(cached, type);
            held.put(key, at, result, cached.length());
            return result;
        }
        // Concurrent misses of one key wait for a single computation.
        SingleFlight.Outcome<Object> outcome = computing.get(key, () -> {
            T result = timed(kind, request, compute);
            String serialized = json.writeValueAsString(result);
            redis.call(() -> jedis.set(key, serialized, SetParams.setParams().ex(settings.ttlMinutes() * 60L)),
                    () -> null);
            held.put(key, at, result, serialized.length());
            return result;
        });
        lookup(kind, outcome.role() == SingleFlight.Role.LEADER ? "miss" : "joined");
        return type.cast(outcome.value());
    }

    /** How many results are held in memory. */
    int heldCount() {
        return held.size();
    }

    private void lookup(String kind, String result) {
        Counter.builder("hub.analysis.cache").description("Analysis result lookups in the shared cache")
                .tag("kind", kind).tag("result", result).register(meters).increment();
    }

    private <T> T timed(String kind, Object request, Supplier<T> compute) {
        String dataset = request instanceof OfDataset d && d.dataset() != null ? d.dataset() : "none";
        return Timer.builder("hub.analysis").description("Analyses computed (cache misses), by kind and dataset")
                .tag("kind", kind).tag("dataset", dataset).publishPercentileHistogram().register(meters)
                .record(compute);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
