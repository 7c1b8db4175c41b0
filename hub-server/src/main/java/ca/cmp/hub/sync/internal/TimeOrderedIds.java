package ca.cmp.hub.sync.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for rows the sync engine creates, in the UUID version 7 layout (RFC 9562: milliseconds since the epoch,
 * then a counter, then random bits), increasing in the order they are made. A batch's new keys then land at the
 * right-hand end of the primary-key and foreign-key indexes (PostgreSQL's fast path for an ascending insert, and
 * the foreign-key lookups of a batch touch the few pages just written) instead of on random pages of an index
 * that grows with every partnership. Still opaque and unique: the primary keys check that.
 */
public final class TimeOrderedIds {

    /** Milliseconds shifted left by 12, plus a 12-bit counter: never the same twice in this process. */
    private static final AtomicLong LAST = new AtomicLong();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        long now = System.currentTimeMillis() << 12;
        long stamp = LAST.updateAndGet(last -> Math.max(now, last + 1));
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xfff);
        long lsb = (ThreadLocalRandom.current().nextLong() >>> 2) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
