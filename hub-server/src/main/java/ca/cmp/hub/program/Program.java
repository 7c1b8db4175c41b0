package ca.cmp.hub.program;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.ServiceAreaKind;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.locationtech.jts.geom.MultiPolygon;

/**
 * A mentoring program as stored: the write model (Hibernate Spatial). Reads for the API go through
 * {@link ProgramSearch}, which selects exactly the columns a page needs.
 *
 * <p>Identity within the federation is (partnership, source id): the id the publishing partnership's own system
 * gives the program, so re-publishing updates rather than duplicates.
 */
@Entity
@Table(name = "program")
public class Program {

    @Id
    private UUID id;

    @Column(name = "partnership_id", nullable = false)
    private UUID partnershipId;

    @Column(name = "organization_id")
    private UUID organizationId;

    private String name;

    private String description;

    @Column(name = "min_age")
    private Integer minAge;

    @Column(name = "max_age")
    private Integer maxAge;

    @Enumerated(EnumType.STRING)
    private MentoringModel model;

    @Enumerated(EnumType.STRING)
    private ProgramSetting setting;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private String[] languages = new String[0];

    @Enumerated(EnumType.STRING)
    @Column(name = "delivery_mode")
    private DeliveryMode mode = DeliveryMode.IN_PERSON;

    @Enumerated(EnumType.STRING)
    @Column(name = "service_area_kind")
    private ServiceAreaKind serviceAreaKind = ServiceAreaKind.RADIUS;

    @Column(name = "service_radius_km")
    private Double serviceRadiusKm;

    @Column(name = "service_area", columnDefinition = "geometry(MultiPolygon,4326)")
    private MultiPolygon serviceArea;

    @Column(name = "active_matches")
    private Integer activeMatches;

    @Column(name = "max_matches")
    private Integer maxMatches;

    private Integer waitlist;

    @Column(name = "fee_free")
    private Boolean feeFree;

    @Column(name = "fee_description")
    private String feeDescription;

    @Enumerated(EnumType.STRING)
    private ProgramStatus status = ProgramStatus.ACTIVE;

    private String source;

    @Column(name = "source_id")
    private String sourceId;

    @Column(name = "content_hash")
    private String contentHash;

    @Column(name = "first_seen_at")
    private Instant firstSeenAt;

    @Column(name = "last_changed_at")
    private Instant lastChangedAt;

    @Column(name = "last_verified_at")
    private Instant lastVerifiedAt;

    @Version
    private int version;

    @OneToMany(mappedBy = "program", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<Site> sites = new ArrayList<>();

    protected Program() {
    }

    public Program(UUID partnershipId, String source, String sourceId, String name, Instant now) {
        this.id = UUID.randomUUID();
        this.partnershipId = partnershipId;
        this.source = source;
        this.sourceId = sourceId;
        this.name = name;
        this.firstSeenAt = now;
        this.lastChangedAt = now;
        this.lastVerifiedAt = now;
    }

    public Program organization(UUID organizationId) {
        this.organizationId = organizationId;
        return this;
    }

    public Program description(String description) {
        this.description = description;
        return this;
    }

    public Program ages(Integer min, Integer max) {
        this.minAge = min;
        this.maxAge = max;
        return this;
    }

    public Program model(MentoringModel model, ProgramSetting setting, DeliveryMode mode) {
        this.model = model;
        this.setting = setting;
        this.mode = mode;
        return this;
    }

    public Program languages(List<String> languages) {
        this.languages = languages.toArray(String[]::new);
        return this;
    }

    public Program radius(double km) {
        this.serviceAreaKind = ServiceAreaKind.RADIUS;
        this.serviceRadiusKm = km;
        this.serviceArea = null;
        return this;
    }

    public Program area(ServiceAreaKind kind, MultiPolygon area) {
        this.serviceAreaKind = kind;
        this.serviceRadiusKm = null;
        this.serviceArea = area;
        return this;
    }

    public Program capacity(Integer activeMatches, Integer maxMatches, Integer waitlist) {
        this.activeMatches = activeMatches;
        this.maxMatches = maxMatches;
        this.waitlist = waitlist;
        return this;
    }

    public Program fees(Boolean free, String description) {
        this.feeFree = free;
        this.feeDescription = description;
        return this;
    }

    public Program status(ProgramStatus status) {
        this.status = status;
        return this;
    }

    public Program addSite(Site site) {
        site.attachTo(this);
        sites.add(site);
        return this;
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

    public ProgramStatus getStatus() {
        return status;
    }

    public List<Site> getSites() {
        return sites;
    }
}
