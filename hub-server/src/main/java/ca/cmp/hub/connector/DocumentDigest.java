package ca.cmp.hub.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one fetched document would read as, in one SHA-256: its bytes and everything else that shapes the records
 * read from it — the connector's kind, location and mapping, the postal-code table that places records without
 * coordinates, and the hub's reading rules (the code of {@link #READERS}). Equal digests mean the same
 * records would be read, validated and hashed again; a run that finds the digest of its connector's last applied
 * document (and nothing written since) applies that run's outcome instead.
 */
final class DocumentDigest {

    /**
     * The classes whose code decides what a document reads as (parsing, mapping, validation, the content hash), by
     * resource name: their bytecode is part of every digest, so that a hub whose reading rules changed reads every
     * document anew, in any build, snapshot or release. A class renamed without updating this list fails the first
     * digest, loudly.
     */
    private static final List<String> READERS = List.of("ca/cmp/hub/connectors/csv/CsvConnector",
            "ca/cmp/hub/connectors/csv/CsvTable", "ca/cmp/hub/connectors/geojson/GeoJsonConnector",
            "ca/cmp/hub/connectors/source/FlatRecordReader", "ca/cmp/hub/connectors/source/FieldMapping",
            "ca/cmp/hub/connectors/source/Values", "ca/cmp/hub/connectors/source/RecordReads",
            "ca/cmp/hub/connectors/source/SourceText", "ca/cmp/hub/connectors/postal/FsaCentroids",
            "ca/cmp/hub/model/SourceProgram", "ca/cmp/hub/model/MentoringModel",
            "ca/cmp/hub/model/ProgramSetting", "ca/cmp/hub/model/DeliveryMode",
            "ca/cmp/hub/model/ProgramStatus", "ca/cmp/hub/model/LocationPrecision",
            "ca/cmp/hub/sync/ProgramValidator", "ca/cmp/hub/sync/StagedProgram", "ca/cmp/hub/connector/DocumentDigest");

    /** The readers' fingerprint, computed once per process. */
    private static final class Readers {
        static final byte[] FINGERPRINT = fingerprint();

        private static byte[] fingerprint() {
            MessageDigest sha = sha256();
            for (String name : READERS) {
                try (InputStream in = DocumentDigest.class.getClassLoader().getResourceAsStream(name + ".class")) {
                    if (in == null) {
                        throw new IllegalStateException("DocumentDigest.READERS names a class that is not there: "
                                + name);
                    }
                    sha.update(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return sha.digest();
        }
    }

    private DocumentDigest() {
    }

    static String of(ConnectorDefinition connector, long postalCodes, byte[] document) {
        MessageDigest sha = sha256();
        sha.update(Readers.FINGERPRINT);
        // Sorted, so that a mapping read back from the database in another key order digests alike.
        String mapping = String.valueOf(sorted(connector.mapping()));
        String context = String.join("\u0000", connector.kind().name(), connector.location(), mapping,
                Long.toString(postalCodes), Integer.toString(document.length));
        sha.update(context.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(document);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sorted(v)));
            return sorted;
        }
        return value;
    }
}
