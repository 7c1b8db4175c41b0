package ca.cmp.hub.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

import ca.cmp.hub.redis.RedisHealth;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;
import tools.jackson.databind.json.JsonMapper;

/**
 * Analysis results shared by every hub instance through Redis, keyed by the data version and the request, so a
 * result computed on one instance is served by all and a data change makes every older result unreachable at
 * once (they then expire). Without Redis the hub computes uncached.
 */
@Component
public class AnalysisCache {

    @ConfigurationProperties("hub.cache")
    record Settings(boolean enabled, int ttlMinutes) {
    }

    private final Settings settings;
    private final JedisPooled jedis;
    private final RedisHealth redis;
    private final DataVersion version;
    private final JsonMapper json = JsonMapper.builder().build();

    AnalysisCache(Settings settings, JedisPooled jedis, RedisHealth redis, DataVersion version) {
        this.settings = settings;
        this.jedis = jedis;
        this.redis = redis;
        this.version = version;
    }

    /**
     * The cached result for {@code request} of {@code kind} at the current data version, or the computed one
     * (then stored). {@code request} must describe everything the result depends on besides the data.
     */
    public <T> T get(String kind, Object request, Class<T> type, Supplier<T> compute) {
        if (!settings.enabled()) {
            return compute.get();
        }
        String key = "analysis:" + kind + ":v" + version.current() + ":" + digest(json.writeValueAsString(request));
        String cached = redis.call(() -> jedis.get(key), () -> null);
        if (cached != null) {
            return json.readValue(cached, type);
        }
        T result = compute.get();
        String serialized = json.writeValueAsString(result);
        redis.call(() -> jedis.set(key, serialized, SetParams.setParams().ex(settings.ttlMinutes() * 60L)),
                () -> null);
        return result;
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
