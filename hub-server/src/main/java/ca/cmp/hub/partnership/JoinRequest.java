package ca.cmp.hub.partnership;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * An organization's request to join the network. PENDING, it is seen by administrators only; approved, it becomes
 * a partnership (named in {@link #getPartnershipId()}); declined, it stays on record with the reason.
 */
@Entity
@Table(name = "join_request")
public class JoinRequest {

    public enum Status { PENDING, APPROVED, DECLINED }

    @Id
    private UUID id;

    private String name;

    private String contact;

    private String website;

    private String message;

    @Column(columnDefinition = "geometry(MultiPolygon,4326)")
    private MultiPolygon region;

    @Enumerated(EnumType.STRING)
    private Status status;

    @Column(name = "submitted_at")
    private Instant submittedAt;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "decided_by")
    private String decidedBy;

    @Column(name = "decision_note")
    private String decisionNote;

    @Column(name = "partnership_id")
    private UUID partnershipId;

    protected JoinRequest() {
    }

    JoinRequest(String name, String contact, String website, String message, MultiPolygon region) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.contact = contact;
        this.website = website;
        this.message = message;
        this.region = region;
        this.status = Status.PENDING;
        this.submittedAt = Instant.now();
    }

    void approve(String by, UUID partnership, String note) {
        decide(Status.APPROVED, by, note);
        this.partnershipId = partnership;
    }

    void decline(String by, String note) {
        decide(Status.DECLINED, by, note);
    }

    private void decide(Status decision, String by, String note) {
        this.status = decision;
        this.decidedBy = by;
        this.decisionNote = note;
        this.decidedAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getContact() {
        return contact;
    }

    public String getWebsite() {
        return website;
    }

    public String getMessage() {
        return message;
    }

    public MultiPolygon getRegion() {
        return region;
    }

    public Status getStatus() {
        return status;
    }

    public Instant getSubmittedAt() {
        return submittedAt;
    }

    public Instant getDecidedAt() {
        return decidedAt;
    }

    public String getDecidedBy() {
        return decidedBy;
    }

    public String getDecisionNote() {
        return decisionNote;
    }

    public UUID getPartnershipId() {
        return partnershipId;
    }
}
