package ca.cmp.hub.connectors.source;

import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Reads a source's records on all cores, keeping their order: each record's reading (mapping its columns, parsing
 * its values) depends on nothing but the record, and on a large feed it is most of a connector's time. Progress is
 * told after each chunk of {@link #CHUNK} records, from the calling thread, as a sequential read would tell it.
 */
public final class RecordReads {

    static final int CHUNK = 10_000;

    private RecordReads() {
    }

    /**
     * @param read what record {@code i} reads as; must be safe to call from several threads at once
     * @return the outcome of every record, by position
     */
    public static Object[] inOrder(int count, IntConsumer progress, IntFunction<Object> read) {
        Object[] outcomes = new Object[count];
        for (int start = 0; start < count; start += CHUNK) {
            int end = Math.min(count, start + CHUNK);
            IntStream.range(start, end).parallel().forEach(i -> outcomes[i] = read.apply(i));
            if (end % CHUNK == 0) {
                progress.accept(end);
            }
        }
        return outcomes;
    }
}
