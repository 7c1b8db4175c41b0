package ca.cmp.hub.program;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.ServiceAreaKind;

/**
 * A program as read for the API: one flat row of the {@code program} table. The nested GraphQL objects (ages,
 * capacity, fees, provenance, service area) are views over these columns, so a page of programs is one query.
 */
public record ProgramRow(UUID id, UUID partnershipId, UUID organizationId, String name, String description,
        Integer minAge, Integer maxAge, MentoringModel model, ProgramSetting setting, List<String> languages,
        DeliveryMode mode, ServiceAreaKind serviceAreaKind, Double serviceRadiusKm, Integer activeMatches,
        Integer maxMatches, Integer waitlist, Boolean feeFree, String feeDescription, ProgramStatus status,
        String source, String sourceId, Instant firstSeenAt, Instant lastChangedAt, Instant lastVerifiedAt) {

    /** A program is its id: rows are batch-loading keys, hashed many times per request. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ProgramRow row && row.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    public AgeRange ages() {
        return new AgeRange(minAge, maxAge);
    }

    public Capacity capacity() {
        Integer available = maxMatches == null || activeMatches == null ? null : Math.max(0, maxMatches - activeMatches);
        return new Capacity(activeMatches, maxMatches, waitlist, available);
    }

    public Fees fees() {
        return new Fees(feeFree, feeDescription);
    }

    public Provenance provenance() {
        return new Provenance(partnershipId, source, sourceId, firstSeenAt, lastChangedAt, lastVerifiedAt);
    }

    public ServiceArea serviceArea() {
        return new ServiceArea(id, serviceAreaKind, serviceRadiusKm);
    }

    public record AgeRange(Integer min, Integer max) {
    }

    public record Capacity(Integer activeMatches, Integer maximum, Integer waitlist, Integer available) {
    }

    public record Fees(Boolean free, String description) {
    }

    public record Provenance(UUID partnership, String source, String sourceId, Instant firstSeen, Instant lastChanged,
            Instant lastVerified) {
    }

    /** Kind and radius come with the row; the geometry is computed in PostGIS only when asked for, in batches. */
    public record ServiceArea(UUID programId, ServiceAreaKind kind, Double radiusKm) {
    }
}
