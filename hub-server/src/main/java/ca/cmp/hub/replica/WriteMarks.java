package ca.cmp.hub.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.redis.RedisHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.event.TransactionalEventListener;
import redis.clients.jedis.JedisPooled;

/**
 * Where the primary's WAL stood after a write, kept in Redis so every instance knows it: per caller (after each
 * mutation; read-your-writes) and for the data (after each committed data-version change: publishes, connector
 * and sync runs, census loads), so no read, by anyone, is answered from data older than the version caches are
 * keyed by. A value only grows (set-if-greater). Positions are WAL byte offsets ({@code lsn - '0/0'}).
 */
class WriteMarks {

    static final String DATA_KEY = "hub:replica:written:data";
    static final String CALLER_PREFIX = "hub:replica:written:caller:";

    /** Raises the key to ARGV[1] (never lowers it) and (re)sets its TTL in ms (ARGV[2]; 0 keeps none). */
    private static final String RAISE = """
            local old = tonumber(redis.call('GET', KEYS[1]) or '-1')
            local new = tonumber(ARGV[1])
            if new > old then redis.call('SET', KEYS[1], ARGV[1]) end
            if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 1
            """;

    private static final Logger log = LoggerFactory.getLogger(WriteMarks.class);

    private final DataSource primary;
    private final JedisPooled jedis;
    private final RedisHealth redis;
    private final Duration ttl;

    WriteMarks(DataSource primary, JedisPooled jedis, RedisHealth redis, Duration ttl) {
        this.primary = primary;
        this.jedis = jedis;
        this.redis = redis;
        this.ttl = ttl;
    }

    /** After a caller's mutation (committed by then): its later reads need at least this position. */
    void callerWrote(String caller) {
        raise(CALLER_PREFIX + caller, ttl.toMillis());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void dataChanged(DataVersion.Changed changed) {
        // A day: a replica further behind than that is long skipped for lag anyway.
        raise(DATA_KEY, Duration.ofDays(1).toMillis());
    }

    /**
     * The position a read by {@code caller} (null: anonymous) must see: the larger of its own and the data's.
     * Long.MAX_VALUE while Redis cannot say (then only the primary is sure to be recent enough).
     */
    long required(String caller) {
        return redis.call(() -> {
            List<String> values = caller == null ? jedis.mget(DATA_KEY) : jedis.mget(DATA_KEY, CALLER_PREFIX + caller);
            long required = -1;
            for (String v : values) {
                if (v != null) {
                    required = Math.max(required, Long.parseLong(v));
                }
            }
            return required;
        }, () -> Long.MAX_VALUE);
    }

    private void raise(String key, long ttlMillis) {
        long lsn;
        // The insert position, not the write position: with synchronous_commit off a commit may not be written yet.
        try (Connection c = primary.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            lsn = rs.getLong(1);
        } catch (SQLException e) {
            log.warn("Cannot read the primary's WAL position after a write: {}", e.getMessage());
            return;
        }
        redis.call(() -> jedis.eval(RAISE, List.of(key), List.of(Long.toString(lsn), Long.toString(ttlMillis))),
                () -> null);
    }
}
