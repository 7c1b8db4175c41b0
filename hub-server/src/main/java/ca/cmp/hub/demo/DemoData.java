package ca.cmp.hub.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.opendata.OpenDataDirectory;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a fresh hub something to show: one demo partnership whose programs stand at real places in Toronto (the
 * 13 youth-serving agencies of 211 Toronto, and a seeded sample of Toronto schools as school-based programs).
 *
 * <p>The places are real; the programs are not. No public list of Canadian mentoring programs exists, so every
 * record says so: partnership "Demo", source {@code demo}, and a description stating what the record is built
 * from. Loaded only into an empty database, once, when {@code hub.demo.enabled}.
 */
@Component
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final MentoringModel[] MODELS = MentoringModel.values();

    private final DemoProperties properties;
    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;
    private final ProgramRepository programs;
    private final TransactionTemplate transaction;
    private final DataVersion dataVersion;

    DemoData(DemoProperties properties, PartnershipRepository partnerships, OrganizationRepository organizations,
            ProgramRepository programs, TransactionTemplate transaction, DataVersion dataVersion) {
        this.dataVersion = dataVersion;
        this.properties = properties;
        this.partnerships = partnerships;
        this.organizations = organizations;
        this.programs = programs;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!properties.enabled() || partnerships.count() > 0) {
            return;
        }
        Optional<Path> data = OpenDataDirectory.find(properties.dataDir());
        if (data.isEmpty()) {
            log.warn("Demo data not loaded: the open-data bundle (shared/data) was not found; set HUB_DATA_DIR");
            return;
        }
        int loaded = transaction.execute(status -> {
            dataVersion.bump();
            return load(data.get());
        });
        log.info("Loaded {} demo programs (real Toronto places, synthetic program attributes)", loaded);
    }

    private int load(Path data) {
        JsonMapper json = JsonMapper.builder().build();
        Partnership demo = partnerships.save(new Partnership(UUID.randomUUID(), "demo-toronto",
                "Demo partnership (Toronto; synthetic programs at real places)", "ON", null, null));
        Random random = new Random(20261125L);
        Instant now = Instant.now();
        int count = 0;
        for (JsonNode feature : read(json, data.resolve("places/toronto_youth_agencies.geojson")).get("features")) {
            JsonNode p = feature.get("properties");
            String name = p.get("AGENCY_NAM").asString();
            String objectId = p.get("OBJECTID").asString();
            Organization org = organizations.save(new Organization(UUID.randomUUID(), demo.getId(), "agency-" + objectId,
                    name, null, null, null));
            Program program = new Program(demo.getId(), "demo", "agency-" + objectId, name + " mentoring", now)
                    .organization(org.getId())
                    .description("Demo record: a synthetic mentoring program placed at the real youth agency \""
                            + name + "\" (211 Toronto data).")
                    .ages(8 + random.nextInt(5), 14 + random.nextInt(5))
                    .model(MODELS[random.nextInt(MODELS.length)], ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON)
                    .languages(p.path("LANGUAGES").asString("").contains("French") ? List.of("en", "fr") : List.of("en"))
                    .radius(3 + random.nextInt(6))
                    .capacity(random.nextInt(30), 30, random.nextInt(15))
                    .fees(true, null);
            program.addSite(new Site("agency-" + objectId, name, point(feature), LocationPrecision.EXACT)
                    .address(p.path("ORGANIZATI").asString(null), "Toronto", "ON", postalCode(p.path("ORGANIZATI"))));
            programs.save(program);
            count++;
        }
        for (JsonNode feature : read(json, data.resolve("places/toronto_schools.geojson")).get("features")) {
            JsonNode p = feature.get("properties");
            // A seeded one-in-ten sample of the schools (not colleges or universities) hosts a program.
            String type = p.path("type").asString("");
            if (type.equals("C") || type.equals("U") || random.nextInt(10) != 0) {
                continue;
            }
            String name = p.get("name").asString();
            Program program = new Program(demo.getId(), "demo", "school-" + p.get("school_id").asString(),
                    "School mentoring at " + name, now)
                    .description("Demo record: a synthetic school-based mentoring program at the real school \""
                            + name + "\" (City of Toronto open data).")
                    .ages(6 + random.nextInt(6), 12 + random.nextInt(7))
                    .model(random.nextBoolean() ? MentoringModel.GROUP : MentoringModel.ONE_TO_ONE,
                            ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON)
                    .languages(random.nextInt(5) == 0 ? List.of("fr") : List.of("en"))
                    .radius(1 + random.nextInt(3))
                    .capacity(random.nextInt(20), 20, random.nextInt(5))
                    .fees(true, null);
            program.addSite(new Site(null, name, point(feature), LocationPrecision.EXACT)
                    .address(p.path("address").asString(null), p.path("municipality").asString(null), "ON",
                            p.path("postal_code").asString(null)));
            programs.save(program);
            count++;
        }
        return count;
    }

    private static JsonNode read(JsonMapper json, Path file) {
        return json.readTree(file.toFile());
    }

    private static Point point(JsonNode feature) {
        JsonNode c = feature.get("geometry").get("coordinates");
        double lon = c.get(0).asDouble();
        double lat = c.get(1).asDouble();
        if (!CanadaExtent.contains(lat, lon)) {
            throw new IllegalStateException("demo place outside Canada: " + feature);
        }
        return GeoJsonGeometry.factory().createPoint(new Coordinate(lon, lat));
    }

    private static String postalCode(JsonNode address) {
        String text = address.asString("");
        var m = java.util.regex.Pattern.compile("([A-Z]\\d[A-Z]) ?(\\d[A-Z]\\d)").matcher(text);
        return m.find() ? m.group(1) + " " + m.group(2) : null;
    }

}
