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
 * time: SET NX with an expiry and a random token, released only by its holder (compare-and-delete in one Lua
 * call). The expiry is a lease its holder renews while the run goes on (compare-and-expire), so it can be short:
 * the lock of an instance that was killed lapses within one lease, and the next run proceeds.
 */
@Component
class ConnectorLock {

    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end""";

    private static final String RENEW = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end""";

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

    /** Extends the holder's lease; false when it is no longer held by this attempt (or Redis is down). */
    boolean renew(Attempt attempt, Duration ttl) {
        if (attempt.state() != State.ACQUIRED) {
            return false;
        }
        return health.call(() -> Long.valueOf(1).equals(redis.eval(RENEW, List.of(attempt.key()),
                List.of(attempt.token(), String.valueOf(ttl.toMillis())))), () -> false);
    }

    void release(Attempt attempt) {
        if (attempt.state() == State.ACQUIRED) {
            health.call(() -> redis.eval(RELEASE, List.of(attempt.key()), List.of(attempt.token())), () -> null);
        }
    }
}
