package ca.cmp.hub.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.OrganizationRepository;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.program.Program;
import ca.cmp.hub.program.ProgramRepository;
import ca.cmp.hub.program.Site;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;
import org.springframework.stereotype.Component;

/** Writes test partnerships and programs through the hub's own write model (Hibernate Spatial entities). */
@Component
public class Fixtures {

    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;
    private final ProgramRepository programs;

    private final DataVersion dataVersion;

    Fixtures(PartnershipRepository partnerships, OrganizationRepository organizations, ProgramRepository programs,
            DataVersion dataVersion) {
        this.partnerships = partnerships;
        this.organizations = organizations;
        this.programs = programs;
        this.dataVersion = dataVersion;
    }

    public Partnership partnership(String name) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return partnerships.save(new Partnership(UUID.randomUUID(), slug, name, "ON", null, null));
    }

    public Organization organization(Partnership partnership, String name) {
        return organizations.save(new Organization(UUID.randomUUID(), partnership.getId(), name, name, null, null,
                null));
    }

    public Program program(Partnership partnership, String name, double lat, double lon, int minAge, int maxAge,
            MentoringModel model, ProgramSetting setting, DeliveryMode mode, List<String> languages) {
        Program program = new Program(partnership.getId(), "test", name, name, Instant.now())
                .ages(minAge, maxAge).model(model, setting, mode).languages(languages).radius(5)
                .capacity(3, 10, 2).fees(true, null);
        program.addSite(site(name, lat, lon));
        return program;
    }

    /** Like every writer of the hub, bumps the data version so no cached analysis outlives the change. */
    public Program save(Program program) {
        Program saved = programs.save(program);
        dataVersion.bump();
        return saved;
    }

    public Program save(Program program, ProgramStatus status) {
        return save(program.status(status));
    }

    public static Site site(String name, double lat, double lon) {
        Point point = GeoJsonGeometry.factory().createPoint(new Coordinate(lon, lat));
        return new Site(name, name, point, LocationPrecision.EXACT).address("1 Test St", "Toronto", "ON", "M5H 2N2");
    }
}
