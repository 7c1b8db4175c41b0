package ca.cmp.hub.connectors.csv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed CSV file (RFC 4180: quoted fields with doubled quotes and line breaks, CRLF or LF, an optional byte
 * order mark), its header and its records, each with the line it starts on, so that problems can name it.
 * A broken file (an unterminated quote) fails as a whole with the line where the bad field began; a record with
 * the wrong number of fields is kept and marked, for the caller to reject by line.
 */
public final class CsvTable {

    /** One record: its fields by column, and the 1-based line it starts on. */
    public record Row(int line, List<String> values, boolean ragged) {
    }

    private final List<String> header;
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private CsvTable(List<String> header, List<Row> rows) {
        this.header = header;
        this.rows = rows;
        this.columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        // Names as the header spells them too, so that the lookups of every field of every row (by the names
        // resolved from the header) find their column without normalising the name again.
        for (int i = 0; i < header.size(); i++) {
            String normal = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (columns.get(normal) == i) {
                columns.putIfAbsent(header.get(i), i);
            }
        }
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The column index of a header name (case-insensitive, trimmed), or -1. */
    public int column(String name) {
        if (name == null) {
            return -1;
        }
        Integer exact = columns.get(name);
        return exact != null ? exact : columns.getOrDefault(name.trim().toLowerCase(Locale.ROOT), -1);
    }

    /** A field of a row by header name; null when the column is absent or the field empty. */
    public String get(Row row, String name) {
        int i = column(name);
        if (i < 0 || i >= row.values().size()) {
            return null;
        }
        String v = row.values().get(i);
        return v.isEmpty() ? null : v;
    }

    /**
     * @throws CsvFormatException for a file that cannot be split into records
     */
    public static CsvTable parse(String text, char delimiter) {
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int quoteLine = 0;
        boolean quoted = false;
        boolean fieldStarted = false;
        int n = text.length();
        for (int i = start; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
                quoteLine = line;
            } else if (c == delimiter) {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                if (!(record.size() == 1 && record.get(0).isEmpty())) {
                    records.add(record);
                    lines.add(recordLine);
                }
                record = new ArrayList<>();
                line++;
                recordLine = line;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new CsvFormatException("line " + quoteLine + ": a quoted field is never closed");
        }
        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            throw new CsvFormatException("the file is empty: it needs a header line");
        }
        List<String> header = records.get(0);
        List<Row> rows = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> values = records.get(r);
            rows.add(new Row(lines.get(r), values, values.size() != header.size()));
        }
        return new CsvTable(header, rows);
    }

    /** A CSV file that cannot be read at all. */
    public static final class CsvFormatException extends RuntimeException {
        public CsvFormatException(String message) {
            super(message);
        }
    }
}
