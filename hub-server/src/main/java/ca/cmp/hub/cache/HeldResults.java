package ca.cmp.hub.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analysis results this instance read or computed last, deserialized, under their shared-cache key. The key
 * names the data version, so a held result is never stale; the first result of a newer version lets the older go.
 *
 * <p>Why: a national layer's coverage is about 10 MB of JSON (75,000 areas); read from Redis and parsed on every
 * report, it cost a few hundred milliseconds of CPU and well over 100 MB of garbage each time, and the collections
 * it set off paused the map's tile requests (bench/map-browser.sh).
 *
 * <p>Bounded by {@code budgetChars}, the summed length of the results' JSON (a measure of their size, not their
 * exact heap); least recently used out first; each expires when its shared copy does. A result larger than the
 * whole budget is not held. Results are shared by every caller, so callers must not change them (copy first).
 * Thread-safe.
 */
final class HeldResults {

    private record Held(Object value, long version, long chars, long expiresAt) {
    }

    private final long budgetChars;
    private final long ttlNanos;
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;
    private long newest = Long.MIN_VALUE;

    HeldResults(long budgetChars, long ttlNanos) {
        this.budgetChars = budgetChars;
        this.ttlNanos = ttlNanos;
    }

    synchronized Object get(String key) {
        Held h = held.get(key);
        if (h == null) {
            return null;
        }
        if (System.nanoTime() - h.expiresAt() > 0) {
            held.remove(key);
            chars -= h.chars();
            return null;
        }
        return h.value();
    }

    /**
     * Holds {@code value}, a result at data version {@code version}. The first result of a newer version lets go of
     * every older one (their keys are never asked for again); a result of an older version than one held is not kept.
     */
    synchronized void put(String key, long version, Object value, long valueChars) {
        if (valueChars > budgetChars || version < newest) {
            return;
        }
        if (version > newest) {
            newest = version;
            held.values().removeIf(h -> h.version() < version);
            chars = held.values().stream().mapToLong(Held::chars).sum();
        }
        Held old = held.put(key, new Held(value, version, valueChars, System.nanoTime() + ttlNanos));
        chars += valueChars - (old == null ? 0 : old.chars());
        Iterator<Map.Entry<String, Held>> eldest = held.entrySet().iterator();
        while (chars > budgetChars && eldest.hasNext()) {
            Map.Entry<String, Held> e = eldest.next();
            if (!e.getKey().equals(key)) {
                chars -= e.getValue().chars();
                eldest.remove();
            }
        }
    }

    synchronized long chars() {
        return chars;
    }

    synchronized int size() {
        return held.size();
    }
}
