package ca.cmp.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A run's life has one owner, and every run ends: bad text is a rejection naming its field (never an internal
 * error that leaves the run RUNNING), a failure the caller sees speaks the caller's terms with a log reference,
 * even a report that cannot be stored ends its run, and runs of a dead instance are ABANDONED by the living.
 */
@HubTest
@ExtendWith(OutputCaptureExtension.class)
class SyncRunLifeTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SyncRunner runner;

    Partnership mine;

    @BeforeEach
    void partnership() {
        mine = fixtures.partnership("Run life");
        Callers.partnerOf(mine.getSlug());
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    static Map<String, Object> program(String sourceId) {
        Map<String, Object> p = new HashMap<>();
        p.put("sourceId", sourceId);
        p.put("name", "Program " + sourceId);
        p.put("radiusKm", 4.0);
        p.put("organization", new HashMap<>(Map.of("sourceId", "org-1", "name", "Mentors")));
        p.put("sites", List.of(new HashMap<>(Map.of("latitude", 43.65, "longitude", -79.38, "postalCode", "M5H 2N2",
                "province", "ON", "name", "Hall", "address", "100 Queen St", "city", "Toronto"))));
        p.put("languages", List.of("en"));
        return p;
    }

    GraphQlTester.Response publish(List<Map<String, Object>> programs) {
        return graphQl.documentName("publishPrograms").variable("partnership", mine.getSlug())
                .variable("programs", programs).execute();
    }

    /** Every text field of a program, and where a NUL byte (or another control character) is put in it. */
    static Stream<Arguments> textFields() {
        return Stream.of(
                Arguments.of("sourceId", "programs[0].sourceId", "\u0000"),
                Arguments.of("name", "programs[0].name", "\u0000"),
                Arguments.of("description", "programs[0].description", "\u0007"),
                Arguments.of("feeDescription", "programs[0].feeDescription", "\u001b[31m"),
                Arguments.of("languages.0", "programs[0].languages[0]", "\u0000"),
                Arguments.of("organization.sourceId", "programs[0].organization.sourceId", "\u0000"),
                Arguments.of("organization.name", "programs[0].organization.name", "\u0085"),
                Arguments.of("organization.website", "programs[0].organization.website", "\u0000"),
                Arguments.of("organization.email", "programs[0].organization.email", "\u0000"),
                Arguments.of("organization.phone", "programs[0].organization.phone", "\u007f"),
                Arguments.of("sites.sourceId", "programs[0].sites[0].sourceId", "\u0000"),
                Arguments.of("sites.name", "programs[0].sites[0].name", "\u0000"),
                Arguments.of("sites.address", "programs[0].sites[0].address", "\u009b"),
                Arguments.of("sites.city", "programs[0].sites[0].city", "\u0000"),
                Arguments.of("sites.province", "programs[0].sites[0].province", "\u0000"),
                Arguments.of("sites.postalCode", "programs[0].sites[0].postalCode", "\u0000"));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("textFields")
    void aControlCharacterInAnyTextFieldRejectsTheRecordNamingTheFieldAndTheRunEnds(String field, String path,
            String control) {
        Map<String, Object> bad = program("bad");
        Map<String, Object> target = bad;
        String key = field;
        if (field.startsWith("organization.")) {
            target = (Map<String, Object>) bad.get("organization");
            key = field.substring("organization.".length());
        } else if (field.startsWith("sites.")) {
            target = ((List<Map<String, Object>>) bad.get("sites")).get(0);
            key = field.substring("sites.".length());
        }
        if (field.equals("languages.0")) {
            bad.put("languages", List.of("e" + control + "n"));
        } else {
            Object before = target.get(key);
            target.put(key, (before == null ? "A" : before.toString().substring(0, 1)) + control + "B");
        }
        GraphQlTester.Response response = publish(List.of(program("good"), bad));
        response.path("publishPrograms.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        response.path("publishPrograms.run.counts.inserted").entity(Integer.class).isEqualTo(1);
        response.path("publishPrograms.run.counts.rejected").entity(Integer.class).isEqualTo(1);
        String expectedPath = path.replace("programs[0]", "programs[1]");
        response.path("publishPrograms.run.rejections[0].field").entity(String.class).isEqualTo(expectedPath);
        response.path("publishPrograms.run.rejections[0].reason").entity(String.class)
                .satisfies(r -> assertThat(r).contains("control character").doesNotContain(control));
        assertThat(runningRuns()).isZero();
    }

    @Test
    void aNulInTheSourceIdIsKeptEscapedInTheReport() {
        publish(List.of(program("A\u0000B"))).path("publishPrograms.run.rejections[0].sourceId").entity(String.class)
                .isEqualTo("A\\u0000B");
        assertThat(runningRuns()).isZero();
    }

    @Test
    void retiringIdsThatCannotBeIdsNamesEachAndShowsNoSql() {
        publish(List.of(program("keep"), program("gone")));
        GraphQlTester.Response response = graphQl.documentName("retirePrograms").variable("partnership",
                mine.getSlug()).variable("sourceIds", List.of("x".repeat(20_000), "a\u0000b", "gone", "never"))
                .execute();
        response.path("retirePrograms.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        response.path("retirePrograms.run.counts.retired").entity(Integer.class).isEqualTo(1);
        response.path("retirePrograms.run.rejections[*].field").entityList(String.class)
                .containsExactly("sourceIds[0]", "sourceIds[1]", "sourceIds[3]");
        List<Map<String, Object>> runs = graphQl.documentName("syncRuns").variable("partnership", mine.getSlug())
                .execute().path("syncRuns").entityList(
                        new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(runs.toString()).doesNotContain("SQL").doesNotContain("PreparedStatement");
        assertThat(runningRuns()).isZero();
    }

    @Test
    void aFailedMergeTellsTheCallerWhatFailedAndTheLogHasTheWholeStoryUnderItsReference(CapturedOutput output) {
        String guard = "fail_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("CREATE FUNCTION " + guard + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.name = 'Program boom' THEN RAISE EXCEPTION 'deliberate failure for %', NEW.source_id; "
                + "END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + guard + " BEFORE INSERT ON program FOR EACH ROW EXECUTE FUNCTION " + guard
                + "()");
        try {
            GraphQlTester.Response response = publish(List.of(program("fine"), program("boom")));
            response.path("publishPrograms.run.status").entity(String.class).isEqualTo("FAILED");
            String failure = response.path("publishPrograms.run.failure").entity(String.class).get();
            assertThat(failure).startsWith("the batch could not be written; nothing was changed (ref ")
                    .doesNotContain("SQL").doesNotContain("deliberate");
            Matcher ref = Pattern.compile("\\(ref ([0-9a-f]{8})\\)").matcher(failure);
            assertThat(ref.find()).isTrue();
            assertThat(output.getAll()).containsPattern("\\[ref " + ref.group(1) + "\\][^\\n]*\\n(.*\\n)*.*"
                    + "deliberate failure for boom");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ?", Long.class,
                    mine.getId())).isZero();
        } finally {
            jdbc.execute("DROP TRIGGER " + guard + " ON program");
            jdbc.execute("DROP FUNCTION " + guard + "()");
        }
    }

    @Test
    void aRunWhoseRejectionsCannotBeStoredStillEndsSayingSo() {
        String guard = "fail_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.execute("CREATE FUNCTION " + guard + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.source_id = 'poison' THEN RAISE EXCEPTION 'no report today'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + guard + " BEFORE INSERT ON sync_rejection FOR EACH ROW EXECUTE FUNCTION "
                + guard + "()");
        try {
            Map<String, Object> poison = program("poison");
            poison.put("minAge", -1);
            GraphQlTester.Response response = publish(List.of(program("fine"), poison));
            // The batch was written, so the run succeeded; it says what of its report is missing.
            response.path("publishPrograms.run.status").entity(String.class).isEqualTo("SUCCEEDED");
            response.path("publishPrograms.run.counts.inserted").entity(Integer.class).isEqualTo(1);
            response.path("publishPrograms.run.counts.rejected").entity(Integer.class).isEqualTo(1);
            response.path("publishPrograms.run.failure").entity(String.class)
                    .satisfies(f -> assertThat(f).startsWith("the batch was written, but the list of its rejected "
                            + "records could not be stored (ref "));
            assertThat(runningRuns()).isZero();
        } finally {
            jdbc.execute("DROP TRIGGER " + guard + " ON sync_rejection");
            jdbc.execute("DROP FUNCTION " + guard + "()");
        }
    }

    @Test
    void aRunWhoseInstanceFellSilentIsAbandonedButALiveOneIsNot() {
        UUID dead = UUID.randomUUID();
        jdbc.update("INSERT INTO sync_run (id, partnership_id, source, mode, status, owner_instance, heartbeat_at) "
                + "VALUES (?, ?, 'push', 'FULL', 'RUNNING', 'a killed instance', now() - interval '1 hour')", dead,
                mine.getId());
        try (SyncRunner.Run live = runner.begin(mine.getId(), null, "push", true, "test")) {
            // Its heartbeat is as old, but this instance is running it: not abandoned.
            jdbc.update("UPDATE sync_run SET heartbeat_at = now() - interval '1 hour' WHERE id = ?", live.id());
            runner.abandonSilent();
            assertThat(status(dead)).isEqualTo("ABANDONED");
            assertThat(status(live.id())).isEqualTo("RUNNING");
            assertThat(jdbc.queryForObject("SELECT failure FROM sync_run WHERE id = ?", String.class, dead))
                    .contains("stopped without ending it");
            runner.heartbeat();
            assertThat(jdbc.queryForObject("SELECT heartbeat_at > now() - interval '1 minute' FROM sync_run "
                    + "WHERE id = ?", Boolean.class, live.id())).isTrue();
        }
    }

    @Test
    void aRunClosedWithoutAnOutcomeFailsAndEndsOnce() {
        SyncRunner.Run run = runner.begin(mine.getId(), null, "push", true, "test");
        run.close();
        assertThat(status(run.id())).isEqualTo("FAILED");
        assertThat(run.current().failure()).startsWith("the run stopped before it could finish (ref ");
        run.close();
        assertThatThrownBy(() -> status(UUID.randomUUID())).isInstanceOf(RuntimeException.class);
    }

    private String status(UUID run) {
        return jdbc.queryForObject("SELECT status FROM sync_run WHERE id = ?", String.class, run);
    }

    private long runningRuns() {
        return jdbc.queryForObject("SELECT count(*) FROM sync_run WHERE partnership_id = ? AND status = 'RUNNING'",
                Long.class, mine.getId());
    }
}
