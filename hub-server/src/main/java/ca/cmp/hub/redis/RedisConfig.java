package ca.cmp.hub.redis;

import java.net.URI;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The hub's one Redis client (Jedis), shared by the result cache, rate limits and scheduler locks. Short
 * timeouts: when Redis is slow or gone the hub must fall back at once, not hang a request.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfig {

    @Bean(destroyMethod = "close")
    JedisPooled jedis(@Value("${spring.data.redis.url}") String url) {
        URI uri = URI.create(url);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(500)
                .socketTimeoutMillis(1000);
        if (uri.getUserInfo() != null) {
            String[] user = uri.getUserInfo().split(":", 2);
            config.user(user.length == 2 && !user[0].isEmpty() ? user[0] : null).password(user[user.length - 1]);
        }
        return new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()),
                config.build());
    }

    /**
     * Redis as the hub sees it: {@code hub.redis.up} (0 while the circuit breaker has it down) and the client's
     * pooled connections by state.
     */
    @Bean
    MeterBinder redisMeters(RedisHealth health, JedisPooled jedis) {
        return registry -> {
            Gauge.builder("hub.redis.up", health, h -> h.isDown() ? 0 : 1)
                    .description("1 while Redis answers, 0 while the hub runs without it").register(registry);
            Gauge.builder("hub.redis.connections", jedis, j -> j.getPool().getNumActive()).tag("state", "active")
                    .description("Pooled Redis connections").register(registry);
            Gauge.builder("hub.redis.connections", jedis, j -> j.getPool().getNumIdle()).tag("state", "idle")
                    .description("Pooled Redis connections").register(registry);
        };
    }
}
