package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.ConnectorKind;
import org.junit.jupiter.api.Test;

class DocumentDigestTest {

    static ConnectorDefinition connector(ConnectorKind kind, String location, Map<String, Object> mapping) {
        return new ConnectorDefinition(UUID.randomUUID(), UUID.randomUUID(), "Feed", kind, location, mapping, null,
                true, null, null, null, null);
    }

    @Test
    void equalOnlyForTheSameBytesReadTheSameWay() {
        byte[] csv = "ID,Program\np1,One\n".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sourceId", "ID");
        fields.put("name", "Program");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("name", "Program");
        reordered.put("sourceId", "ID");
        String digest = DocumentDigest.of(connector(ConnectorKind.CSV, "a.csv", Map.of("fields", fields)), 7, csv);

        assertThat(digest).hasSize(64).isEqualTo(
                DocumentDigest.of(connector(ConnectorKind.CSV, "a.csv", Map.of("fields", reordered)), 7, csv));
        assertThat(DocumentDigest.of(connector(ConnectorKind.CSV, "a.csv", Map.of("fields", fields)), 7,
                "ID,Program\r\np1,One\r\n".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(digest);
        assertThat(DocumentDigest.of(connector(ConnectorKind.CSV, "a.csv", Map.of("fields", Map.of("sourceId",
                "Program"))), 7, csv)).isNotEqualTo(digest);
        assertThat(DocumentDigest.of(connector(ConnectorKind.CSV, "b.csv", Map.of("fields", fields)), 7, csv))
                .isNotEqualTo(digest);
        assertThat(DocumentDigest.of(connector(ConnectorKind.GEOJSON, "a.csv", Map.of("fields", fields)), 7, csv))
                .isNotEqualTo(digest);
        assertThat(DocumentDigest.of(connector(ConnectorKind.CSV, "a.csv", Map.of("fields", fields)), 8, csv))
                .as("another postal-code table").isNotEqualTo(digest);
    }
}
