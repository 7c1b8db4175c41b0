package ca.cmp.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/** Partners push programs: idempotent upserts, retirement without deletion, per-record errors, atomic runs. */
@HubTest
class PublishProgramsTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    Partnership mine;
    Partnership theirs;

    @BeforeEach
    void partnerships() {
        mine = fixtures.partnership("Mine");
        theirs = fixtures.partnership("Theirs");
        Callers.partnerOf(mine.getSlug());
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    static Map<String, Object> program(String sourceId, String name, double lat, double lon) {
        Map<String, Object> p = new HashMap<>();
        p.put("sourceId", sourceId);
        p.put("name", name);
        p.put("minAge", 8);
        p.put("maxAge", 14);
        p.put("model", "ONE_TO_ONE");
        p.put("languages", List.of("en", "FR"));
        p.put("radiusKm", 4.0);
        p.put("maxMatches", 20);
        p.put("activeMatches", 12);
        p.put("organization", Map.of("sourceId", "org-1", "name", "Mentors of Toronto"));
        p.put("sites", List.of(Map.of("latitude", lat, "longitude", lon, "postalCode", "m5h2n2", "province", "on")));
        return p;
    }

    List<Map<String, Object>> three() {
        return new ArrayList<>(List.of(program("A", "Alpha", 43.65, -79.38), program("B", "Bravo", 43.70, -79.40),
                program("C", "Charlie", 43.75, -79.45)));
    }

    GraphQlTester.Response publish(Partnership p, List<Map<String, Object>> programs, boolean snapshot) {
        return graphQl.documentName("publishPrograms").variable("partnership", p.getSlug())
                .variable("programs", programs).variable("snapshot", snapshot).execute();
    }

    Map<String, Object> counts(GraphQlTester.Response response) {
        response.path("publishPrograms.__typename").entity(String.class).isEqualTo("SyncReport");
        response.path("publishPrograms.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        return response.path("publishPrograms.run.counts").entity(Map.class).get();
    }

    int versions() {
        return jdbc.queryForObject("SELECT count(*) FROM program_version v JOIN program p ON p.id = v.program_id "
                + "WHERE p.partnership_id = ?", Integer.class, mine.getId());
    }

    @Test
    void publishingTwiceChangesNothingTheSecondTime() {
        assertThat(counts(publish(mine, three(), false))).containsEntry("inserted", 3).containsEntry("rejected", 0);
        String before = jdbc.queryForObject("SELECT string_agg(id || ':' || version || ':' || last_changed_at, ',' "
                + "ORDER BY id) FROM program WHERE partnership_id = ?", String.class, mine.getId());
        int versionsBefore = versions();
        assertThat(counts(publish(mine, three(), false))).containsEntry("inserted", 0).containsEntry("updated", 0)
                .containsEntry("unchanged", 3);
        assertThat(jdbc.queryForObject("SELECT string_agg(id || ':' || version || ':' || last_changed_at, ',' "
                + "ORDER BY id) FROM program WHERE partnership_id = ?", String.class, mine.getId())).isEqualTo(before);
        assertThat(versions()).isEqualTo(versionsBefore);
        // Stored as normalised: language codes lower-case, postal code formatted, province upper-case.
        assertThat(jdbc.queryForMap("SELECT p.languages::text AS languages, s.postal_code, s.province FROM program p "
                + "JOIN site s ON s.program_id = p.id WHERE p.partnership_id = ? AND p.source_id = 'A'", mine.getId()))
                .containsEntry("languages", "{en,fr}").containsEntry("postal_code", "M5H 2N2")
                .containsEntry("province", "ON");
    }

    @Test
    void aServiceAreaIsStoredAsPostGisReadsItsText() {
        Map<String, Object> area = program("P", "Polygon area", 43.65, -79.38);
        area.remove("radiusKm");
        area.put("serviceArea", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                List.of(-79.4012345, 43.6401234), List.of(-79.3598765, 43.6409876), List.of(-79.3601357, 43.6702468),
                List.of(-79.4000001, 43.6699999), List.of(-79.4012345, 43.6401234)))));
        assertThat(counts(publish(mine, List.of(area), false))).containsEntry("inserted", 1);
        // The engine copies the area as EWKB; the same coordinates as PostGIS parses them from (E)WKT.
        assertThat(jdbc.queryForObject("""
                SELECT ST_AsEWKB(service_area) = ST_AsEWKB(ST_GeomFromEWKT('SRID=4326;MULTIPOLYGON(((-79.4012345 \
                43.6401234, -79.3598765 43.6409876, -79.3601357 43.6702468, -79.4000001 43.6699999, -79.4012345 \
                43.6401234)))')) FROM program WHERE partnership_id = ? AND source_id = 'P'""", Boolean.class,
                mine.getId())).isTrue();
    }

    @Test
    void aChangedRecordIsUpdatedAndItsSitesReplaced() {
        publish(mine, three(), false);
        List<Map<String, Object>> changed = three();
        changed.set(1, program("B", "Bravo renamed", 43.71, -79.41));
        assertThat(counts(publish(mine, changed, false))).containsEntry("updated", 1).containsEntry("unchanged", 2);
        assertThat(jdbc.queryForMap("SELECT p.name, p.version, ST_Y(s.location) AS lat FROM program p JOIN site s "
                + "ON s.program_id = p.id WHERE p.partnership_id = ? AND p.source_id = 'B'", mine.getId()))
                .containsEntry("name", "Bravo renamed").containsEntry("version", 1).containsEntry("lat", 43.71);
    }

    @Test
    void aSnapshotRetiresWhatItNoLongerListsAndKeepsItsHistory() {
        publish(mine, three(), true);
        List<Map<String, Object>> two = three().subList(0, 2);
        assertThat(counts(publish(mine, two, true))).containsEntry("retired", 1).containsEntry("unchanged", 2);
        Map<String, Object> charlie = jdbc.queryForMap("SELECT id::text, status FROM program WHERE partnership_id = ? "
                + "AND source_id = 'C'", mine.getId());
        assertThat(charlie).containsEntry("status", "RETIRED");
        graphQl.document("query($id: ID!) { program(id: $id) { status name } }").variable("id", charlie.get("id"))
                .execute().path("program.status").entity(String.class).isEqualTo("RETIRED");
        assertThat(jdbc.queryForList("SELECT change FROM program_version WHERE program_id = ?::uuid ORDER BY version",
                String.class, charlie.get("id"))).containsExactly("INSERTED", "RETIRED");
        // Back in the next snapshot: reactivated, same id.
        assertThat(counts(publish(mine, three(), true))).containsEntry("updated", 1);
        assertThat(jdbc.queryForList("SELECT change FROM program_version WHERE program_id = ?::uuid ORDER BY version",
                String.class, charlie.get("id"))).containsExactly("INSERTED", "RETIRED", "REACTIVATED");
        // An incremental push never retires.
        assertThat(counts(publish(mine, two, false))).containsEntry("retired", 0);
    }

    @Test
    void invalidRecordsComeBackAsDataAndTheRestIsWritten() {
        List<Map<String, Object>> batch = three();
        Map<String, Object> swapped = program("D", "Delta", -79.38, 43.65);
        Map<String, Object> paris = program("E", "Echo", 48.85, 2.35);
        Map<String, Object> noName = program("F", " ", 43.65, -79.38);
        Map<String, Object> ages = program("G", "Golf", 43.65, -79.38);
        ages.put("minAge", 15);
        ages.put("maxAge", 9);
        Map<String, Object> postal = program("H", "Hotel", 43.65, -79.38);
        postal.put("sites", List.of(Map.of("latitude", 43.65, "longitude", -79.38, "postalCode", "90210")));
        Map<String, Object> duplicate = program("A", "Alpha again", 43.65, -79.38);
        Map<String, Object> noSites = program("I", "India", 43.65, -79.38);
        noSites.put("sites", List.of());
        batch.addAll(List.of(swapped, paris, noName, ages, postal, duplicate, noSites));
        GraphQlTester.Response response = publish(mine, batch, false);
        assertThat(counts(response)).containsEntry("read", 10).containsEntry("inserted", 3)
                .containsEntry("rejected", 7);
        List<Map<String, Object>> rejections = response.path("publishPrograms.run.rejections").entityList(Map.class)
                .get().stream().map(m -> (Map<String, Object>) m).toList();
        assertThat(rejections).extracting(r -> r.get("field") + " | " + r.get("reason")).containsExactly(
                "programs[3].sites[0].latitude | (-79.38, 43.65) is outside Canada; latitude and longitude look swapped",
                "programs[4].sites[0].latitude | (48.85, 2.35) is outside Canada",
                "programs[5].name | is required",
                "programs[6].maxAge | must be at least minAge (15), got 9",
                "programs[7].sites[0].postalCode | \"90210\" is not a Canadian postal code like K1A 0B1",
                "programs[8].sourceId | \"A\" appears twice; first at programs[0]",
                "programs[9].sites | a program served around its sites needs at least one site "
                        + "(or give serviceArea, or servesRegion for a virtual program)");
        assertThat(rejections.get(0)).containsEntry("sourceId", "D").containsEntry("position", 3);
    }

    @Test
    void partnersCannotTouchAnotherPartnershipAndTheAttemptIsAudited() {
        int audited = jdbc.queryForObject("SELECT count(*) FROM audit_event", Integer.class);
        publish(theirs, three(), false).path("publishPrograms.__typename").entity(String.class).isEqualTo("NotAllowed")
                .path("publishPrograms.message").entity(String.class)
                .isEqualTo("this token may not change the records of " + theirs.getSlug());
        graphQl.documentName("retirePrograms").variable("partnership", theirs.getId().toString())
                .variable("sourceIds", List.of("A")).execute()
                .path("retirePrograms.__typename").entity(String.class).isEqualTo("NotAllowed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ?", Integer.class,
                theirs.getId())).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event", Integer.class)).isEqualTo(audited + 2);
        assertThat(jdbc.queryForMap("SELECT subject, action, target FROM audit_event ORDER BY id DESC LIMIT 1"))
                .containsEntry("subject", "partner-" + mine.getSlug()).containsEntry("action", "retirePrograms")
                .containsEntry("target", "partnership:" + theirs.getSlug());
        Callers.anonymous();
        publish(mine, three(), false).path("publishPrograms.__typename").entity(String.class).isEqualTo("NotAllowed");
        graphQl.documentName("publishPrograms").variable("partnership", "no-such-partnership")
                .variable("programs", three()).execute()
                .path("publishPrograms.__typename").entity(String.class).isEqualTo("UnknownPartnership");
    }

    @Test
    void aFailureHalfWayWritesNothingAndIsRecorded() {
        publish(mine, three(), false);
        String before = jdbc.queryForObject("SELECT string_agg(name || version, ',' ORDER BY name) FROM program "
                + "WHERE partnership_id = ?", String.class, mine.getId());
        // A fault deep in the merge, after other rows of the same batch were already written.
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.name = 'BOOM' THEN RAISE EXCEPTION 'simulated storage fault'; END IF; RETURN NEW; END $$""");
        jdbc.execute("CREATE TRIGGER fail_on_boom BEFORE INSERT OR UPDATE ON program FOR EACH ROW "
                + "EXECUTE FUNCTION fail_on_boom()");
        try {
            List<Map<String, Object>> batch = three();
            batch.set(0, program("A", "Alpha changed", 43.65, -79.38));
            batch.add(program("Z", "BOOM", 43.66, -79.39));
            GraphQlTester.Response response = publish(mine, batch, true);
            response.path("publishPrograms.run.status").entity(String.class).isEqualTo("FAILED")
                    .path("publishPrograms.run.failure").entity(String.class).satisfies(f ->
                            assertThat(f).contains("nothing was changed"));
        } finally {
            jdbc.execute("DROP TRIGGER fail_on_boom ON program");
        }
        assertThat(jdbc.queryForObject("SELECT string_agg(name || version, ',' ORDER BY name) FROM program "
                + "WHERE partnership_id = ?", String.class, mine.getId())).isEqualTo(before);
        graphQl.documentName("syncRuns").variable("partnership", mine.getId().toString()).execute()
                .path("syncRuns[0].status").entity(String.class).isEqualTo("FAILED")
                .path("syncRuns[0].partnership.slug").entity(String.class).isEqualTo(mine.getSlug())
                .path("syncRuns[1].status").entity(String.class).isEqualTo("SUCCEEDED")
                .path("syncRuns[1].counts.inserted").entity(Integer.class).isEqualTo(3);
    }

    @Test
    void syncReportsAreForThePartnershipPlannersAndAdmins() {
        publish(mine, three(), false);
        graphQl.documentName("syncRuns").variable("partnership", mine.getSlug()).execute()
                .path("syncRuns").entityList(Object.class).hasSize(1);
        Callers.as("planner", ca.cmp.hub.security.Role.PLANNER, null);
        graphQl.documentName("syncRuns").variable("partnership", mine.getSlug()).execute()
                .path("syncRuns").entityList(Object.class).hasSize(1);
        for (Runnable caller : List.<Runnable>of(() -> Callers.partnerOf(theirs.getSlug()), Callers::anonymous,
                () -> Callers.as("funder", ca.cmp.hub.security.Role.FUNDER, null))) {
            caller.run();
            graphQl.documentName("syncRuns").variable("partnership", mine.getSlug()).execute().errors()
                    .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
                        assertThat(e.getErrorType()).isEqualTo(org.springframework.graphql.execution.ErrorType.FORBIDDEN);
                        assertThat(e.getMessage()).isIn("reading sync reports needs a token",
                                "this token may not read the sync reports of " + mine.getSlug());
                    }));
        }
    }

    @Test
    void retiringByIdReportsUnknownIds() {
        publish(mine, three(), false);
        graphQl.documentName("retirePrograms").variable("partnership", mine.getSlug())
                .variable("sourceIds", List.of("B", "nope")).execute()
                .path("retirePrograms.run.counts.retired").entity(Integer.class).isEqualTo(1)
                .path("retirePrograms.run.rejections[0].field").entity(String.class).isEqualTo("sourceIds[1]");
    }
}
