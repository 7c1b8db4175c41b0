package ca.cmp.hub.connector;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.ConnectorKind;

/** A registered connector: where a partnership's programs are pulled from, how they map, and when. */
record ConnectorDefinition(UUID id, UUID partnershipId, String name, ConnectorKind kind, String location,
        Map<String, Object> mapping, String schedule, boolean enabled, Instant lastFullSyncAt, Instant lastSuccessAt,
        Instant nextRunAt, Instant createdAt) {

    /** The provenance label its programs carry; a full read retires the ones of this label it no longer lists. */
    String source() {
        return "connector:" + id;
    }
}
