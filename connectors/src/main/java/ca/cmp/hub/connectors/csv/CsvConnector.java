package ca.cmp.hub.connectors.csv;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.DocumentConnector;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.connectors.source.FlatRecordReader;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.connectors.source.RecordReads;
import ca.cmp.hub.connectors.source.SourceText;

/**
 * A CSV file of programs, one program and site per line, read through a column mapping. Lines without
 * coordinates are placed by postal code (FSA centroid, marked so). A CSV is always a full snapshot. Problems name
 * the line and the column.
 */
public final class CsvConnector implements DocumentConnector {

    private final String location;
    private final FieldMapping mapping;
    private final SourceFetcher fetcher;
    private final FsaCentroids postalCodes;

    public CsvConnector(String location, FieldMapping mapping, SourceFetcher fetcher, FsaCentroids postalCodes) {
        this.location = location;
        this.mapping = mapping;
        this.fetcher = fetcher;
        this.postalCodes = postalCodes;
    }

    @Override
    public byte[] fetch() throws ConnectorException {
        return fetcher.fetch(location);
    }

    @Override
    public SourceBatch parse(byte[] document, IntConsumer progress) throws ConnectorException {
        return parse(SourceText.decode(document, mapping.encoding(), "the CSV file"), mapping, postalCodes, progress);
    }

    /** Reads CSV text already fetched (used by {@link #read} and by tests). */
    public static SourceBatch parse(String text, FieldMapping mapping, FsaCentroids postalCodes, IntConsumer progress)
            throws ConnectorException {
        CsvTable table;
        FlatRecordReader reader;
        try {
            table = CsvTable.parse(text, mapping.delimiter());
            reader = new FlatRecordReader(mapping, name -> table.column(name) >= 0, postalCodes);
        } catch (CsvTable.CsvFormatException | IllegalArgumentException e) {
            throw new ConnectorException("the CSV file cannot be read: " + e.getMessage(), false, e);
        }
        List<CsvTable.Row> rows = table.rows();
        IntFunction<String> labels = position -> "line " + rows.get(position).line();
        Object[] outcomes = RecordReads.inOrder(rows.size(), progress, position -> {
            CsvTable.Row row = rows.get(position);
            FlatRecordReader.Record record = column -> table.get(row, column);
            String label = labels.apply(position);
            if (row.ragged()) {
                return new SourceProblem(position, reader.sourceId(record), label, "has " + row.values().size()
                        + " fields; the header has " + table.header().size());
            }
            try {
                return reader.read(record, null, null);
            } catch (RecordProblem p) {
                return new SourceProblem(position, reader.sourceId(record), label + ": " + p.field(),
                        p.getMessage());
            }
        });
        return RecordReads.snapshot(outcomes, labels);
    }
}
