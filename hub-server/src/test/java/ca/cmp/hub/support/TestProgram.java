package ca.cmp.hub.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.partnership.Organization;

/**
 * A test's program as a partner would publish it ({@link SourceProgram}), built fluently; {@link Fixtures#save}
 * publishes it through the hub's one write path and then knows its stored id.
 */
public final class TestProgram {

    final UUID partnershipId;
    final String sourceId;
    private final String name;
    private String description;
    private Integer minAge;
    private Integer maxAge;
    private MentoringModel model;
    private ProgramSetting setting;
    private DeliveryMode mode;
    private List<String> languages = List.of();
    private Double radiusKm;
    private Boolean servesRegion;
    private Integer activeMatches;
    private Integer maxMatches;
    private Integer waitlist;
    private Boolean feeFree;
    private String feeDescription;
    private ProgramStatus status;
    private SourceProgram.Organization organization;
    private final List<SourceProgram.Site> sites = new ArrayList<>();
    UUID id;

    TestProgram(UUID partnershipId, String sourceId, String name) {
        this.partnershipId = partnershipId;
        this.sourceId = sourceId;
        this.name = name;
    }

    /** The stored id, once saved. */
    public UUID getId() {
        if (id == null) {
            throw new IllegalStateException("program " + sourceId + " is not saved yet");
        }
        return id;
    }

    public TestProgram description(String text) {
        this.description = text;
        return this;
    }

    public TestProgram ages(Integer min, Integer max) {
        this.minAge = min;
        this.maxAge = max;
        return this;
    }

    public TestProgram model(MentoringModel m, ProgramSetting s, DeliveryMode d) {
        this.model = m;
        this.setting = s;
        this.mode = d;
        return this;
    }

    public TestProgram languages(List<String> codes) {
        this.languages = codes;
        return this;
    }

    public TestProgram radius(double km) {
        this.radiusKm = km;
        this.servesRegion = null;
        return this;
    }

    /** Serves its partnership's whole region (needs no site). */
    public TestProgram servesRegion() {
        this.radiusKm = null;
        this.servesRegion = true;
        return this;
    }

    public TestProgram capacity(Integer active, Integer max, Integer waiting) {
        this.activeMatches = active;
        this.maxMatches = max;
        this.waitlist = waiting;
        return this;
    }

    public TestProgram fees(Boolean free, String text) {
        this.feeFree = free;
        this.feeDescription = text;
        return this;
    }

    public TestProgram status(ProgramStatus s) {
        this.status = s;
        return this;
    }

    public TestProgram organization(Organization o) {
        this.organization = new SourceProgram.Organization(o.getSourceId(), o.getName(), o.getWebsite(),
                o.getEmail(), o.getPhone());
        return this;
    }

    public TestProgram addSite(SourceProgram.Site site) {
        sites.add(site);
        return this;
    }

    SourceProgram source() {
        return new SourceProgram(sourceId, name, description, minAge, maxAge, model, setting, languages, mode,
                radiusKm, null, servesRegion, activeMatches, maxMatches, waitlist, feeFree, feeDescription, status,
                organization, List.copyOf(sites));
    }
}
