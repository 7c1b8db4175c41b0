package ca.cmp.hub.map.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tiles kept in this instance's heap in front of Redis, least recently used first out, bounded by their bytes. Keys
 * carry the data version and whether the figures are unrounded (see {@link VectorTiles}), so an entry can never
 * answer for another version or another kind of caller; entries of older versions are simply never asked for
 * again and age out.
 */
final class TileMemory {

    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<String, byte[]> tiles = new LinkedHashMap<>(1024, 0.75f, true);

    /** @param maxBytes the most tile bytes kept (0: none) */
    TileMemory(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(String key) {
        return tiles.get(key);
    }

    synchronized void put(String key, byte[] tile) {
        if (tile.length > maxBytes / 16) {
            return;
        }
        byte[] old = tiles.put(key, tile);
        bytes += tile.length - (old == null ? 0 : old.length);
        var eldest = tiles.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, byte[]> e = eldest.next();
            bytes -= e.getValue().length;
            eldest.remove();
        }
    }
}
