package ca.cmp.hub.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ca.cmp.hub.redis.RedisHealth;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;

/**
 * Token buckets held in Redis, so that a limit holds across hub instances; while Redis is unreachable each
 * instance keeps its own (limits relaxed, never dropped) until it returns.
 */
@Component
public class Buckets {

    private final RedisHealth redis;
    private final JedisBasedProxyManager<byte[]> shared;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();

    Buckets(RedisHealth redis, JedisPooled jedis) {
        this.redis = redis;
        this.shared = Bucket4jJedis.casBasedBuilder(jedis)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(2)))
                .build();
    }

    /** Takes {@code tokens} from the bucket {@code key} of {@code capacity} refilled over {@code period}. */
    public ConsumptionProbe take(String key, long tokens, int capacity, Duration period) {
        BucketConfiguration limit = limit(capacity, period);
        return redis.call(
                () -> shared.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> limit)
                        .tryConsumeAndReturnRemaining(tokens),
                () -> local.computeIfAbsent(key, k -> Bucket.builder().addLimit(limit.getBandwidths()[0]).build())
                        .tryConsumeAndReturnRemaining(tokens));
    }

    /** Tokens left in the bucket {@code key} (a full bucket when it was never used). */
    public long available(String key, int capacity, Duration period) {
        BucketConfiguration limit = limit(capacity, period);
        return redis.call(() -> shared.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> limit).getAvailableTokens(),
                () -> local.computeIfAbsent(key, k -> Bucket.builder().addLimit(limit.getBandwidths()[0]).build())
                        .getAvailableTokens());
    }

    private static BucketConfiguration limit(int capacity, Duration period) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build()).build();
    }

    /** Seconds to wait before a probe that was refused may succeed (at least 1). */
    public static long retryAfterSeconds(ConsumptionProbe probe) {
        return Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
    }
}
