package ca.cmp.hub.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.opendata.OpenDataDirectory;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.sync.SyncRun;
import ca.cmp.hub.sync.SyncRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a fresh hub something to show: one demo partnership whose programs stand at real places in Toronto (the
 * 13 youth-serving agencies of 211 Toronto, and a seeded sample of Toronto schools as school-based programs).
 *
 * <p>The places are real; the programs are not. No public list of Canadian mentoring programs exists, so every
 * record says so: partnership "Demo", source {@code demo}, and a description stating what the record is built
 * from. Loaded only into an empty database, once, when {@code hub.demo.enabled}, and published as one run through
 * the path partners' pushes take.
 */
@Component
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final MentoringModel[] MODELS = MentoringModel.values();

    private final DemoProperties properties;
    private final PartnershipRepository partnerships;
    private final SyncRunner runner;

    DemoData(DemoProperties properties, PartnershipRepository partnerships, SyncRunner runner) {
        this.properties = properties;
        this.partnerships = partnerships;
        this.runner = runner;
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
        Partnership demo = partnerships.save(new Partnership(UUID.randomUUID(), "demo-toronto",
                "Demo partnership (Toronto; synthetic programs at real places)", "ON", null, null));
        // Published as a partner would publish them: one run, validated and merged by the same path.
        SyncRun run = runner.publish(demo.getId(), "demo", programs(data.get()), true, "demo", "demo");
        if ("SUCCEEDED".equals(run.status())) {
            log.info("Loaded {} demo programs (real Toronto places, synthetic program attributes) in run {}",
                    run.counts().inserted(), run.id());
        } else {
            log.error("Demo programs not loaded: run {} {}: {}", run.id(), run.status(), run.failure());
        }
    }

    private static List<SourceProgram> programs(Path data) {
        JsonMapper json = JsonMapper.builder().build();
        Random random = new Random(20261125L);
        List<SourceProgram> out = new ArrayList<>();
        for (JsonNode feature : read(json, data.resolve("places/toronto_youth_agencies.geojson")).get("features")) {
            JsonNode p = feature.get("properties");
            String name = p.get("AGENCY_NAM").asString();
            String objectId = p.get("OBJECTID").asString();
            int minAge = 8 + random.nextInt(5);
            int maxAge = 14 + random.nextInt(5);
            MentoringModel model = MODELS[random.nextInt(MODELS.length)];
            List<String> languages = p.path("LANGUAGES").asString("").contains("French") ? List.of("en", "fr")
                    : List.of("en");
            double radius = 3 + random.nextInt(6);
            int active = random.nextInt(30);
            int waitlist = random.nextInt(15);
            double[] at = point(feature);
            out.add(new SourceProgram("agency-" + objectId, name + " mentoring",
                    "Demo record: a synthetic mentoring program placed at the real youth agency \"" + name
                            + "\" (211 Toronto data).", minAge, maxAge, model, ProgramSetting.COMMUNITY, languages,
                    DeliveryMode.IN_PERSON, radius, null, null, active, 30, waitlist, true, null, null,
                    new SourceProgram.Organization("agency-" + objectId, name, null, null, null),
                    List.of(new SourceProgram.Site("agency-" + objectId, name, p.path("ORGANIZATI").asString(null),
                            "Toronto", "ON", postalCode(p.path("ORGANIZATI")), at[1], at[0],
                            LocationPrecision.EXACT))));
        }
        for (JsonNode feature : read(json, data.resolve("places/toronto_schools.geojson")).get("features")) {
            JsonNode p = feature.get("properties");
            // A seeded one-in-ten sample of the schools (not colleges or universities) hosts a program.
            String type = p.path("type").asString("");
            if (type.equals("C") || type.equals("U") || random.nextInt(10) != 0) {
                continue;
            }
            String name = p.get("name").asString();
            int minAge = 6 + random.nextInt(6);
            int maxAge = 12 + random.nextInt(7);
            MentoringModel model = random.nextBoolean() ? MentoringModel.GROUP : MentoringModel.ONE_TO_ONE;
            List<String> languages = random.nextInt(5) == 0 ? List.of("fr") : List.of("en");
            double radius = 1 + random.nextInt(3);
            int active = random.nextInt(20);
            int waitlist = random.nextInt(5);
            double[] at = point(feature);
            out.add(new SourceProgram("school-" + p.get("school_id").asString(), "School mentoring at " + name,
                    "Demo record: a synthetic school-based mentoring program at the real school \"" + name
                            + "\" (City of Toronto open data).", minAge, maxAge, model, ProgramSetting.SCHOOL,
                    languages, DeliveryMode.IN_PERSON, radius, null, null, active, 20, waitlist, true, null, null,
                    null, List.of(new SourceProgram.Site(null, name, p.path("address").asString(null),
                            p.path("municipality").asString(null), "ON", p.path("postal_code").asString(null),
                            at[1], at[0], LocationPrecision.EXACT))));
        }
        return out;
    }

    private static JsonNode read(JsonMapper json, Path file) {
        return json.readTree(file.toFile());
    }

    /** {longitude, latitude} of a place of the bundle (the validator checks it lies in Canada). */
    private static double[] point(JsonNode feature) {
        JsonNode c = feature.get("geometry").get("coordinates");
        return new double[] {c.get(0).asDouble(), c.get(1).asDouble()};
    }

    private static String postalCode(JsonNode address) {
        String text = address.asString("");
        var m = java.util.regex.Pattern.compile("([A-Z]\\d[A-Z]) ?(\\d[A-Z]\\d)").matcher(text);
        return m.find() ? m.group(1) + " " + m.group(2) : null;
    }

}
