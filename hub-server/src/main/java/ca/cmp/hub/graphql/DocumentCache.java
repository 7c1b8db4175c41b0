package ca.cmp.hub.graphql;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import graphql.execution.preparsed.PreparsedDocumentEntry;

/**
 * Parsed documents by text, least recently used evicted first, bounded by an estimate of the heap they retain
 * rather than by their number: a few hundred unique 1 MB documents must not fill the heap. A document heavier than
 * a sixteenth of the budget is not kept at all (real clients send small documents; big ones are one-offs).
 */
final class DocumentCache {

    /** Bytes a cached entry holds beyond its text: the key, the map entry, a small AST. */
    private static final long OVERHEAD = 512;

    private final long budget;
    private final LinkedHashMap<String, PreparsedDocumentEntry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    DocumentCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** The heap a parsed document retains: its key (Latin-1 or UTF-16 text) and an AST about twice that. */
    static long weigh(String key) {
        return 3L * key.length() + OVERHEAD;
    }

    synchronized PreparsedDocumentEntry get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, PreparsedDocumentEntry entry) {
        long w = weigh(key);
        if (w > budget / 16 || entries.containsKey(key)) {
            return;
        }
        entries.put(key, entry);
        weight += w;
        Iterator<Map.Entry<String, PreparsedDocumentEntry>> eldest = entries.entrySet().iterator();
        while (weight > budget && eldest.hasNext()) {
            weight -= weigh(eldest.next().getKey());
            eldest.remove();
        }
    }

    synchronized long weight() {
        return weight;
    }

    synchronized int size() {
        return entries.size();
    }
}
