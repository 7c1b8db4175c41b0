package ca.cmp.hub.connectors;

import java.time.Instant;
import java.util.function.IntConsumer;

import ca.cmp.hub.model.SourceBatch;

/**
 * A connector whose every read is one document fetched whole (a CSV or GeoJSON file, from disk or HTTP) and
 * always a full snapshot. Fetching and parsing are separate steps so that the hub can recognise a document it has
 * already applied from its bytes alone, before parsing, validating and comparing every record again.
 */
public interface DocumentConnector extends Connector {

    /** The document's bytes, as the source serves them now. */
    byte[] fetch() throws ConnectorException;

    /** Reads fetched bytes as {@link #read} would. */
    SourceBatch parse(byte[] document, IntConsumer progress) throws ConnectorException;

    @Override
    default SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException {
        return parse(fetch(), progress);
    }
}
