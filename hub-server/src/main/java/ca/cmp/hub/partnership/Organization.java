package ca.cmp.hub.partnership;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A provider that runs mentoring programs, as published by one partnership (the same agency published by two
 * partnerships is two records: each partnership vouches for its own data). Email and phone are private contact
 * fields, not part of the public schema.
 */
@Entity
@Table(name = "organization")
public class Organization {

    @Id
    private UUID id;

    @Column(name = "partnership_id")
    private UUID partnershipId;

    @Column(name = "source_id")
    private String sourceId;

    private String name;

    private String website;

    private String email;

    private String phone;

    protected Organization() {
    }

    public Organization(UUID id, UUID partnershipId, String sourceId, String name, String website, String email,
            String phone) {
        this.id = id;
        this.partnershipId = partnershipId;
        this.sourceId = sourceId;
        this.name = name;
        this.website = website;
        this.email = email;
        this.phone = phone;
    }

    public UUID getId() {
        return id;
    }

    public UUID getPartnershipId() {
        return partnershipId;
    }

    public String getSourceId() {
        return sourceId;
    }

    public String getName() {
        return name;
    }

    public String getWebsite() {
        return website;
    }

    public String getEmail() {
        return email;
    }

    public String getPhone() {
        return phone;
    }
}
