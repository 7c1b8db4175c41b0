package ca.cmp.hub.sync.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.postgresql.copy.CopyManager;

/**
 * Rows streamed into one open {@code COPY … FROM STDIN (FORMAT binary)}, sent in chunks of about 64 KB as they are
 * encoded (so PostgreSQL works on the first rows while the next are encoded, as with {@link CsvCopy}). The binary
 * form spares the server, the single core a run's writes all go through, the text input functions: uuid, integer,
 * float, timestamp and array parsing, and the hex decoding of geometries, which arrive as EWKB bytes.
 *
 * <p>Each value is written with the method for its column's exact type (the binary form has no casts): a row is
 * {@link #row(int)} then one call per column, in the COPY's column order.
 */
public final class BinaryCopy {

    private static final int CHUNK = 64 * 1024;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int TEXT_OID = 25;

    private final CopyStream copy;
    private byte[] buffer = new byte[CHUNK + 8192];
    private int length;

    public BinaryCopy(CopyManager manager, String sql) throws SQLException {
        this.copy = new CopyStream(manager, sql);
        put(HEADER);
    }

    /** Starts a row of {@code columns} values. */
    public BinaryCopy row(int columns) throws SQLException {
        if (length >= CHUNK) {
            send();
        }
        short16(columns);
        return this;
    }

    public BinaryCopy uuid(UUID value) {
        if (value == null) {
            return nul();
        }
        int32(16);
        int64(value.getMostSignificantBits());
        int64(value.getLeastSignificantBits());
        return this;
    }

    public BinaryCopy text(String value) {
        return value == null ? nul() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryCopy int4(Integer value) {
        if (value == null) {
            return nul();
        }
        int32(4);
        int32(value);
        return this;
    }

    public BinaryCopy float8(Double value) {
        if (value == null) {
            return nul();
        }
        int32(8);
        int64(Double.doubleToLongBits(value));
        return this;
    }

    public BinaryCopy bool(Boolean value) {
        if (value == null) {
            return nul();
        }
        int32(1);
        ensure(1);
        buffer[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A one-dimensional text[] (lower bound 1), or the empty array; null elements are not expected. */
    public BinaryCopy textArray(List<String> values) {
        if (values == null) {
            return nul();
        }
        byte[][] elements = new byte[values.size()][];
        int size = values.isEmpty() ? 12 : 20;
        for (int i = 0; i < elements.length; i++) {
            elements[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + elements[i].length;
        }
        int32(size);
        int32(values.isEmpty() ? 0 : 1);
        int32(0);
        int32(TEXT_OID);
        if (!values.isEmpty()) {
            int32(elements.length);
            int32(1);
            for (byte[] e : elements) {
                bytes(e);
            }
        }
        return this;
    }

    public BinaryCopy timestamptz(OffsetDateTime value) {
        if (value == null) {
            return nul();
        }
        long micros = value.toEpochSecond() * 1_000_000L + value.getNano() / 1_000;
        int32(8);
        int64(micros - POSTGRES_EPOCH_MICROS);
        return this;
    }

    /** A value as its binary form as is: a geometry's EWKB. */
    public BinaryCopy bytes(byte[] value) {
        if (value == null) {
            return nul();
        }
        int32(value.length);
        put(value);
        return this;
    }

    public BinaryCopy nul() {
        int32(-1);
        return this;
    }

    /** Sends the rest and ends the COPY; the number of rows PostgreSQL wrote. */
    public long finish() throws SQLException {
        short16(-1);
        send();
        return copy.finish();
    }

    private void send() throws SQLException {
        copy.write(buffer, length);
        length = 0;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void short16(int v) {
        ensure(2);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }
}
