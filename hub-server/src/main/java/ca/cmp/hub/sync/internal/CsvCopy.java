package ca.cmp.hub.sync.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.copy.CopyManager;

/**
 * Rows streamed into one open {@code COPY … FROM STDIN (FORMAT csv)}, sent in chunks of about 64 KB as they are
 * formatted, so that PostgreSQL parses and inserts the first rows while the next ones are still being written
 * (the two ends run on different cores) instead of after a whole batch has been rendered into one string.
 *
 * <p>CSV rules: null is an unquoted empty field (COPY's NULL in CSV mode), any other value is quoted with
 * embedded quotes doubled, so an empty string stays an empty string.
 */
public final class CsvCopy {

    private static final int CHUNK = 64 * 1024;

    private final CopyStream copy;
    private final StringBuilder pending = new StringBuilder(CHUNK + 4096);

    public CsvCopy(CopyManager manager, String sql) throws SQLException {
        this.copy = new CopyStream(manager, sql);
    }

    /** Appends one row and sends what has accumulated once a chunk is full. */
    public void row(Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                pending.append(',');
            }
            Object v = values[i];
            if (v == null) {
                continue;
            }
            String text = v.toString();
            pending.append('"');
            if (text.indexOf('"') < 0) {
                pending.append(text);
            } else {
                pending.append(text.replace("\"", "\"\""));
            }
            pending.append('"');
        }
        pending.append('\n');
        if (pending.length() >= CHUNK) {
            send();
        }
    }

    /** Sends the rest and ends the COPY; the number of rows PostgreSQL wrote. */
    public long finish() throws SQLException {
        send();
        return copy.finish();
    }

    private void send() throws SQLException {
        byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        copy.write(bytes, bytes.length);
    }

    /** A text[] literal for a CSV field: elements double-quoted, backslashes and quotes escaped. */
    public static String array(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }
}
