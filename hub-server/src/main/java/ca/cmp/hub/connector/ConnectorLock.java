package ca.cmp.hub.connector;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.redis.RedisHealth;
import org.springframework.stereotype.Component;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * A per-connector lock in Redis, shared by every hub instance, so that a connector runs on one instance at a
 * time: SET NX with an expiry (a crashed holder's lock lapses) and a random token, released only by its holder
 * (compare-and-delete in one Lua call).
 */
@Component
class ConnectorLock {

    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end""";

    enum State { ACQUIRED, HELD_ELSEWHERE, REDIS_DOWN }

    record Attempt(State state, String key, String token) {
    }

    private final JedisPooled redis;
    private final RedisHealth health;

    ConnectorLock(JedisPooled redis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
    }

    Attempt acquire(UUID connectorId, Duration ttl) {
        String key = "cmp-hub:lock:connector:" + connectorId;
        String token = UUID.randomUUID().toString();
        return health.call(() -> {
            String ok = redis.set(key, token, SetParams.setParams().nx().px(ttl.toMillis()));
            return new Attempt("OK".equals(ok) ? State.ACQUIRED : State.HELD_ELSEWHERE, key, token);
        }, () -> new Attempt(State.REDIS_DOWN, key, token));
    }

    void release(Attempt attempt) {
        if (attempt.state() == State.ACQUIRED) {
            health.call(() -> redis.eval(RELEASE, List.of(attempt.key()), List.of(attempt.token())), () -> null);
        }
    }
}
