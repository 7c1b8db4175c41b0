package ca.cmp.hub.partnership;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * A regional mentoring partnership: the publisher of programs and the unit of write permission. Its region (WGS
 * 84 MultiPolygon, optional, valid, inside Canada) is what its virtual programs serve and what the network view
 * counts as covered by the network. Retired, it stays with its programs, and analyses leave it out unless asked.
 * Edited one at a time through {@link PartnershipAdmin}, so it is a JPA aggregate.
 */
@Entity
@Table(name = "partnership")
public class Partnership {

    @Id
    private UUID id;

    private String slug;

    private String name;

    @Column(name = "name_fr")
    private String nameFr;

    /** The first of {@link #provinces}: kept for the schema's {@code province} and older readers. */
    private String province;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private String[] provinces = new String[0];

    private String website;

    /** Private: the partnership's own partners and administrators see it. */
    private String contact;

    private String description;

    @Column(columnDefinition = "geometry(MultiPolygon,4326)")
    private MultiPolygon region;

    @Column(name = "retired_at")
    private Instant retiredAt;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected Partnership() {
    }

    public Partnership(UUID id, String slug, String name, String province, String website, MultiPolygon region) {
        this.id = id;
        this.slug = slug;
        this.name = name;
        this.province = province;
        this.provinces = province == null ? new String[0] : new String[] {province};
        this.website = website;
        this.region = region;
        this.updatedAt = Instant.now();
    }

    /** Every editable field at once, as an administrator's create or update gives them (all already checked). */
    void edit(String slug, String name, String nameFr, List<String> provinces, String website, String contact,
            String description, MultiPolygon region) {
        this.slug = slug;
        this.name = name;
        this.nameFr = nameFr;
        this.provinces = provinces.toArray(String[]::new);
        this.province = provinces.isEmpty() ? null : provinces.get(0);
        this.website = website;
        this.contact = contact;
        this.description = description;
        this.region = region;
        this.updatedAt = Instant.now();
    }

    void retire(Instant at) {
        this.retiredAt = at;
        this.updatedAt = at;
    }

    public UUID getId() {
        return id;
    }

    public String getSlug() {
        return slug;
    }

    public String getName() {
        return name;
    }

    public String getNameFr() {
        return nameFr;
    }

    public String getProvince() {
        return province;
    }

    public List<String> getProvinces() {
        return provinces == null ? List.of() : List.of(provinces);
    }

    public String getWebsite() {
        return website;
    }

    public String getContact() {
        return contact;
    }

    public String getDescription() {
        return description;
    }

    public MultiPolygon getRegion() {
        return region;
    }

    public Instant getRetiredAt() {
        return retiredAt;
    }

    public boolean isRetired() {
        return retiredAt != null;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
