package ca.cmp.hub.connectors.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ca.cmp.hub.connectors.ConnectorException;

/** Decodes a source's bytes strictly: a file in another encoding fails with the line of the first bad byte. */
public final class SourceText {

    private SourceText() {
    }

    public static String decode(byte[] bytes, String encoding, String what) throws ConnectorException {
        Charset charset = Charset.forName(encoding);
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) (bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            String hint = charset.equals(StandardCharsets.UTF_8)
                    ? "; if the file was saved in another encoding (Excel often writes Windows-1252), set "
                            + "\"encoding\" in the connector's mapping, e.g. \"windows-1252\""
                    : "";
            throw new ConnectorException(what + " is not valid " + charset.name() + ": byte "
                    + String.format("0x%02X", bytes[offset] & 0xff) + " on line " + line + hint, false);
        }
        try {
            decoder.flush(out);
        } catch (RuntimeException e) {
            throw new ConnectorException(what + " could not be decoded as " + charset.name(), false, e);
        }
        out.flip();
        return out.toString();
    }

    /**
     * Checks that the bytes are valid UTF-8, failing as {@link #utf8} does, without building the text: for
     * parsers that read bytes themselves. Pure ASCII (most feeds) is recognised in one pass over the bytes.
     */
    public static void requireUtf8(byte[] bytes, String what) throws ConnectorException {
        for (byte b : bytes) {
            if (b < 0) {
                utf8(bytes, what);
                return;
            }
        }
    }

    /** UTF-8 (for JSON, which RFC 8259 requires to be UTF-8). */
    public static String utf8(byte[] bytes, String what) throws ConnectorException {
        return decode(bytes, StandardCharsets.UTF_8.name(), what);
    }

}
