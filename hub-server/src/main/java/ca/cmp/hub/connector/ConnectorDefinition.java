package ca.cmp.hub.connector;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.ConnectorKind;

/**
 * A registered connector: where a partnership's programs are pulled from, how they map, and when.
 *
 * @param changesReadUntil upstream changes before this time are in the hub: the start of the last successful read
 *                         (an incremental read asks for changes since then, less an overlap)
 * @param credentials      how it authenticates upstream (GRAPHQL connectors), or null
 */
record ConnectorDefinition(UUID id, UUID partnershipId, String name, ConnectorKind kind, String location,
        Map<String, Object> mapping, String schedule, boolean enabled, Instant lastFullSyncAt, Instant lastSuccessAt,
        Instant changesReadUntil, Instant nextRunAt, Instant createdAt, Credentials credentials) {

    ConnectorDefinition(UUID id, UUID partnershipId, String name, ConnectorKind kind, String location,
            Map<String, Object> mapping, String schedule, boolean enabled, Instant lastFullSyncAt,
            Instant lastSuccessAt, Instant changesReadUntil, Instant nextRunAt, Instant createdAt) {
        this(id, partnershipId, name, kind, location, mapping, schedule, enabled, lastFullSyncAt, lastSuccessAt,
                changesReadUntil, nextRunAt, createdAt, null);
    }

    /** The provenance label its programs carry; a full read retires the ones of this label it no longer lists. */
    String source() {
        return "connector:" + id;
    }

    /**
     * An OAuth2 client upstream (GraphQL type UpstreamClient). The secret stays sealed ({@link SealedSecrets})
     * and is no field of the schema's type; it is opened only to build the connector for a run.
     */
    record Credentials(String clientId, String tokenUrl, byte[] sealedSecret) {

        public boolean secretStored() {
            return sealedSecret != null;
        }

        @Override
        public String toString() {
            return "Credentials[clientId=" + clientId + ", tokenUrl=" + tokenUrl + ", secret="
                    + (sealedSecret == null ? "none" : "sealed") + "]";
        }
    }
}
