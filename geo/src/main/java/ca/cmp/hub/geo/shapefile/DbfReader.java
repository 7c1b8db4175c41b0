package ca.cmp.hub.geo.shapefile;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the attribute table ({@code .dbf}) of a shapefile: a dBase III table as the shapefile format uses it.
 * Header (little-endian): version, last update, record count (bytes 4–7), header length (8–9), record length
 * (10–11), language driver id (29); then 32-byte field descriptors (name in 11 bytes, type, length, decimal
 * count) up to a 0x0D terminator; then fixed-width records, each led by a deletion flag ({@code *} = deleted).
 *
 * <p>Values come back as the text stored, trimmed; blank values as null (dBase has no null, writers leave
 * blanks). Numbers ({@code N}, {@code F}) stay text so the caller parses them with its own rules; dates
 * ({@code D}) are {@code YYYYMMDD}; memo fields are not followed into a {@code .dbt}.
 *
 * <p>Text encoding, in order: the {@code .cpg} file's code page when there is one ({@link #codePage(String)}),
 * else the header's language driver id (87 = Windows ANSI 1252, as ESRI writes), else each value is decoded as
 * UTF-8 if it is valid UTF-8 and as Windows-1252 otherwise (Statistics Canada's files are one or the other).
 */
public final class DbfReader implements Closeable {

    /** A column of the table. */
    public record Field(String name, char type, int length, int decimals) {
    }

    /**
     * One row.
     *
     * @param number  1-based, as the shapefile record it pairs with
     * @param deleted marked deleted in the table
     */
    public record Row(int number, boolean deleted, Map<String, String> values) {
    }

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final String fileName;
    private final InputStream in;
    private final int recordCount;
    private final int recordLength;
    private final List<Field> fields;
    private final Charset charset;
    private int read;

    /**
     * Reads the header and field descriptors.
     *
     * @param charset the {@code .cpg}'s code page, or null to take the language driver id or guess per value
     * @throws ShapefileException if the header is not a dBase table's or is cut off
     */
    public DbfReader(String fileName, InputStream in, Charset charset) throws IOException {
        this.fileName = fileName;
        this.in = new BufferedInputStream(in, 1 << 16);
        byte[] head = this.in.readNBytes(32);
        if (head.length < 32) {
            throw new ShapefileException(fileName + ": " + head.length + " bytes is too short for a dBase table");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        recordCount = h.getInt(4);
        int headerLength = Short.toUnsignedInt(h.getShort(8));
        recordLength = Short.toUnsignedInt(h.getShort(10));
        if (recordCount < 0 || headerLength < 33 || recordLength < 1) {
            throw new ShapefileException(fileName + ": not a dBase table (" + recordCount + " records, header of "
                    + headerLength + " bytes, records of " + recordLength + ")");
        }
        byte[] descriptors = this.in.readNBytes(headerLength - 32);
        if (descriptors.length < headerLength - 32) {
            throw new ShapefileException(fileName + ": the field descriptors are cut off; the file is truncated");
        }
        List<Field> list = new ArrayList<>();
        int width = 1;
        for (int at = 0; at + 32 <= descriptors.length && descriptors[at] != 0x0D; at += 32) {
            int end = at;
            while (end < at + 11 && descriptors[end] != 0) {
                end++;
            }
            String name = new String(descriptors, at, end - at, StandardCharsets.ISO_8859_1).trim();
            Field field = new Field(name, (char) (descriptors[at + 11] & 0xFF), descriptors[at + 16] & 0xFF,
                    descriptors[at + 17] & 0xFF);
            list.add(field);
            width += field.length();
        }
        if (width != recordLength) {
            throw new ShapefileException(fileName + ": its fields are " + width + " bytes wide with the deletion "
                    + "flag, but the header says records are " + recordLength + "; the table is corrupt");
        }
        this.fields = Collections.unmodifiableList(list);
        this.charset = charset != null ? charset : languageDriver(head[29] & 0xFF);
    }

    public List<Field> fields() {
        return fields;
    }

    /** Rows the header declares. */
    public int recordCount() {
        return recordCount;
    }

    /** The next row, or null after the last the header declares. */
    public Row next() throws IOException {
        if (read == recordCount) {
            return null;
        }
        byte[] record = in.readNBytes(recordLength);
        int number = read + 1;
        if (record.length == 0 || record.length == 1 && record[0] == 0x1A) {
            throw new ShapefileException(fileName + ": has " + read + " records where its header says "
                    + recordCount + "; the file is truncated");
        }
        if (record.length < recordLength) {
            throw new ShapefileException(fileName + ": record " + number + " is cut off after " + record.length
                    + " of its " + recordLength + " bytes; the file is truncated");
        }
        read++;
        Map<String, String> values = new LinkedHashMap<>();
        int at = 1;
        for (Field field : fields) {
            values.put(field.name(), text(record, at, field.length()));
            at += field.length();
        }
        return new Row(number, record[0] == '*', values);
    }

    private String text(byte[] record, int from, int length) {
        int start = from;
        int end = from + length;
        while (start < end && (record[start] == ' ' || record[start] == 0)) {
            start++;
        }
        while (end > start && (record[end - 1] == ' ' || record[end - 1] == 0)) {
            end--;
        }
        if (start == end) {
            return null;
        }
        if (charset != null) {
            return new String(record, start, end - start, charset);
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(record, start, end - start));
            return decoded.toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(record, start, end - start, WINDOWS_1252);
        }
    }

    /**
     * The charset a {@code .cpg} file names ("UTF-8", "1252", "ANSI 1252", "ISO-8859-1", "CP1252"...), or null
     * when it names none this JVM knows.
     */
    public static Charset codePage(String cpg) {
        String name = cpg.strip().toUpperCase(Locale.ROOT).replaceFirst("^ANSI ", "");
        if (name.isEmpty()) {
            return null;
        }
        if (name.equals("UTF8")) {
            return StandardCharsets.UTF_8;
        }
        if (name.matches("\\d{3,5}")) {
            name = name.startsWith("125") ? "windows-" + name : name.equals("88591") ? "ISO-8859-1" : "IBM" + name;
        }
        if (name.matches("CP125\\d")) {
            name = "windows-" + name.substring(2);
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** The code page of a dBase language driver id, for the ids shapefile writers use; null when unknown. */
    private static Charset languageDriver(int id) {
        return switch (id) {
            case 0x01 -> Charset.forName("IBM437");
            case 0x02 -> Charset.forName("IBM850");
            case 0x03, 0x57, 0x58, 0x59 -> WINDOWS_1252;
            case 0xC8 -> Charset.forName("windows-1250");
            case 0xC9 -> Charset.forName("windows-1251");
            default -> null;
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
