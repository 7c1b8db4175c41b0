package ca.cmp.hub.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one fetched document would read as, in one SHA-256: its bytes and everything else that shapes the records
 * read from it — the connector's kind, location and mapping, the postal-code table that places records without
 * coordinates, and the hub's reading rules ({@link #READERS} and the build's version). Equal digests mean the same
 * records would be read, validated and hashed again; a run that finds the digest of its connector's last applied
 * document (and nothing written since) applies that run's outcome instead.
 */
final class DocumentDigest {

    /**
     * The generation of the hub's reading and validation rules: raised whenever a change to connectors, the field
     * mapping or the validator could read the same document differently, so that every document is read anew.
     */
    static final int READERS = 1;

    private DocumentDigest() {
    }

    static String of(ConnectorDefinition connector, long postalCodes, byte[] document) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String version = DocumentDigest.class.getPackage().getImplementationVersion();
        // Sorted, so that a mapping read back from the database in another key order digests alike.
        String mapping = String.valueOf(sorted(connector.mapping()));
        String context = String.join("\u0000", "readers " + READERS, version == null ? "dev" : version,
                connector.kind().name(), connector.location(), mapping, Long.toString(postalCodes),
                Integer.toString(document.length));
        sha.update(context.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(document);
        return HexFormat.of().formatHex(sha.digest());
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sorted(v)));
            return sorted;
        }
        return value;
    }
}
