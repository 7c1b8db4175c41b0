package ca.cmp.hub.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ca.cmp.hub.redis.RedisHealth;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;

/**
 * Limits on single public operations that cost more than a request (a request to join the network writes a row
 * and asks for an administrator's time), per client address, held in Redis across instances like the request
 * limits (per instance while Redis is down).
 */
@Component
public class ActionLimits {

    /** The GraphQL context key under which the client's address is put for the controllers. */
    public static final String CLIENT_ADDRESS = "clientAddress";

    private final RateLimitProperties properties;
    private final RedisHealth redis;
    private final JedisBasedProxyManager<byte[]> buckets;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();

    ActionLimits(RateLimitProperties properties, RedisHealth redis, JedisPooled jedis) {
        this.properties = properties;
        this.redis = redis;
        this.buckets = Bucket4jJedis.casBasedBuilder(jedis)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(5)))
                .build();
    }

    /** Takes one request to join for this address; false when the address has used up its hour's allowance. */
    public boolean tryJoinRequest(String address) {
        return tryAcquire("join", address == null ? "unknown" : address, properties.joinRequestsPerHour());
    }

    /** The allowance per hour, for messages. */
    public int joinRequestsPerHour() {
        return properties.joinRequestsPerHour();
    }

    private boolean tryAcquire(String action, String address, int perHour) {
        String key = "rl:action:" + action + ":" + address;
        BucketConfiguration limit = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, Duration.ofHours(1)).build())
                .build();
        return redis.call(() -> buckets.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> limit).tryConsume(1),
                () -> local.computeIfAbsent(key, k -> Bucket.builder().addLimit(limit.getBandwidths()[0]).build())
                        .tryConsume(1));
    }
}
