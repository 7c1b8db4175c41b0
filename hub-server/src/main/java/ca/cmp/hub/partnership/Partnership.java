package ca.cmp.hub.partnership;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * A regional mentoring partnership: the publisher of programs and the unit of write permission. Its region (WGS
 * 84 MultiPolygon, optional) is what its virtual programs serve.
 */
@Entity
@Table(name = "partnership")
public class Partnership {

    @Id
    private UUID id;

    private String slug;

    private String name;

    private String province;

    private String website;

    @Column(columnDefinition = "geometry(MultiPolygon,4326)")
    private MultiPolygon region;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected Partnership() {
    }

    public Partnership(UUID id, String slug, String name, String province, String website, MultiPolygon region) {
        this.id = id;
        this.slug = slug;
        this.name = name;
        this.province = province;
        this.website = website;
        this.region = region;
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

    public String getProvince() {
        return province;
    }

    public String getWebsite() {
        return website;
    }

    public MultiPolygon getRegion() {
        return region;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
