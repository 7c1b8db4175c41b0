package ca.cmp.hub.support;

import java.util.List;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.OrganizationRepository;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.sync.SyncRun;
import ca.cmp.hub.sync.SyncRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes test partnerships and programs. Programs are published through the hub's one write path, as a partner's
 * push or the demo is ({@link SyncRunner}): validated, merged, recorded as a run, the data version moved on. A
 * fixture the validator rejects fails the test that made it.
 */
@Component
public class Fixtures {

    /** The provenance label of fixture programs. */
    static final String SOURCE = "test";

    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;
    private final SyncRunner runner;
    private final JdbcTemplate jdbc;

    Fixtures(PartnershipRepository partnerships, OrganizationRepository organizations, SyncRunner runner,
            JdbcTemplate jdbc) {
        this.partnerships = partnerships;
        this.organizations = organizations;
        this.runner = runner;
        this.jdbc = jdbc;
    }

    public Partnership partnership(String name) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return partnerships.save(new Partnership(UUID.randomUUID(), slug, name, "ON", null, null));
    }

    public Partnership partnershipBySlug(String slug) {
        return partnerships.findBySlug(slug).orElseThrow();
    }

    public Organization organization(Partnership partnership, String name) {
        return organizations.save(new Organization(UUID.randomUUID(), partnership.getId(), name, name, null, null,
                null));
    }

    /** A program whose source id is its name, with one site at (lat, lon) served within 5 km. */
    public TestProgram program(Partnership partnership, String name, double lat, double lon, int minAge, int maxAge,
            MentoringModel model, ProgramSetting setting, DeliveryMode mode, List<String> languages) {
        return draft(partnership, name).ages(minAge, maxAge).model(model, setting, mode).languages(languages)
                .radius(5).capacity(3, 10, 2).fees(true, null).addSite(site(name, lat, lon));
    }

    /** A program with nothing but its name (its source id too). */
    public TestProgram draft(Partnership partnership, String name) {
        return new TestProgram(partnership.getId(), name, name);
    }

    /** Publishes the program (a new one, or a new state of one saved before) as a run of its own. */
    public TestProgram save(TestProgram program) {
        return saveAll(List.of(program)).get(0);
    }

    public TestProgram save(TestProgram program, ProgramStatus status) {
        return save(program.status(status));
    }

    /** Publishes programs of one partnership as one run. */
    public List<TestProgram> saveAll(List<TestProgram> programs) {
        UUID partnershipId = programs.get(0).partnershipId;
        if (programs.stream().anyMatch(p -> !p.partnershipId.equals(partnershipId))) {
            throw new IllegalArgumentException("one partnership per run");
        }
        SyncRun run = runner.publish(partnershipId, SOURCE, programs.stream().map(TestProgram::source).toList(),
                false, "test fixtures", "fixture");
        if (!"SUCCEEDED".equals(run.status()) || run.counts().rejected() > 0) {
            throw new IllegalStateException("fixture programs not published: " + run.status() + " "
                    + (run.failure() != null ? run.failure() : jdbc.queryForList("SELECT field || ': ' || reason "
                            + "FROM sync_rejection WHERE run_id = ? ORDER BY position", String.class, run.id())));
        }
        for (TestProgram p : programs) {
            p.id = jdbc.queryForObject("SELECT id FROM program WHERE partnership_id = ? AND source = ? "
                    + "AND source_id = ?", UUID.class, partnershipId, SOURCE, p.sourceId);
        }
        return programs;
    }

    /** A site with its name and no source id (a program may have several of one name). */
    public static SourceProgram.Site site(String name, double lat, double lon) {
        return new SourceProgram.Site(null, name, "1 Test St", "Toronto", "ON", "M5H 2N2", lat, lon,
                LocationPrecision.EXACT);
    }
}
