package ca.cmp.hub.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A small circuit breaker around Redis: after a failure, Redis is not asked again for a few seconds, so a
 * missing Redis costs no request any waiting. Outages and recoveries are logged once each.
 */
@Component
public class RedisHealth {

    private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);
    static final long RETRY_AFTER_MS = 3_000;

    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong retryAt = new AtomicLong();

    /** Runs {@code call} against Redis, or returns {@code fallback} while Redis is known to be down. */
    public <T> T call(Supplier<T> call, Supplier<T> fallback) {
        if (down.get() && System.currentTimeMillis() < retryAt.get()) {
            return fallback.get();
        }
        try {
            T result = call.get();
            if (down.compareAndSet(true, false)) {
                log.warn("Redis is back: shared cache, rate limits and locks resume");
            }
            return result;
        } catch (RuntimeException e) {
            retryAt.set(System.currentTimeMillis() + RETRY_AFTER_MS);
            if (down.compareAndSet(false, true)) {
                log.warn("Redis unreachable ({}): answering uncached, rate limits per instance, until it returns",
                        e.getMessage());
            }
            return fallback.get();
        }
    }

    public boolean isDown() {
        return down.get();
    }
}
