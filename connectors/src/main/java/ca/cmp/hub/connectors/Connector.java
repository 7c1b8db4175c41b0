package ca.cmp.hub.connectors;

import java.time.Instant;
import java.util.function.IntConsumer;

import ca.cmp.hub.model.SourceBatch;

/**
 * Reads a partnership's programs from one source. One implementation per source kind; an instance is configured
 * for one registered connector (its location and mapping) and may be used for many runs, one at a time.
 *
 * <p>Per-record problems (a bad coordinate, a missing name) are returned in the batch; only a failure of the
 * whole read (the server is down, the file is not JSON, the body was cut off) throws, and then nothing of the
 * read may be used.
 */
public interface Connector {

    /**
     * @param changedSince null for a full read; else ask the source only for what changed after it (sources that
     *                     cannot filter do a full read and say so through {@link SourceBatch#complete()})
     * @param progress     told the number of records read so far, now and then
     */
    SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException;
}
