package ca.cmp.hub.duplicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import ca.cmp.hub.support.TestProgram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;

/**
 * The same program published by two partnerships, a few metres apart: proposed to planners with its reasons,
 * dismissed for good, or confirmed, after which access (2SFCA) counts its places once while both records and
 * their provenance stay. Each test has its own pair of partnerships (the shared database holds other classes').
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicatesTest {

    static final String TORONTO = "toronto-neighbourhoods";

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    CensusLoader loader;

    Partnership pushA;
    Partnership feedA;
    TestProgram pushedA;
    TestProgram fedA;
    Partnership pushB;
    Partnership feedB;
    TestProgram pushedB;
    TestProgram fedB;

    @BeforeAll
    void data() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals(TORONTO)) {
                loader.load(layer);
            }
        }
        pushA = fixtures.partnership("Duplicates: pushed (confirm)");
        feedA = fixtures.partnership("Duplicates: HSDS feed (confirm)");
        pushedA = fixtures.save(program(pushA, "Riverdale Youth Mentoring Circle", 43.6677, -79.3530, 10, 16));
        // ~27 m away, the feed's spelling of the same program.
        fedA = fixtures.save(program(feedA, "Riverdale Youth Mentoring Circle (HSDS)", 43.6679, -79.3532, 12, 18));
        pushB = fixtures.partnership("Duplicates: pushed (dismiss)");
        feedB = fixtures.partnership("Duplicates: HSDS feed (dismiss)");
        pushedB = fixtures.save(program(pushB, "Weston Girls Mentoring Club", 43.7010, -79.5180, 8, 14));
        fedB = fixtures.save(program(feedB, "Weston Girls Mentoring Club", 43.7011, -79.5181, 8, 14));
    }

    TestProgram program(Partnership p, String name, double lat, double lon, int min, int max) {
        return fixtures.program(p, name, lat, lon, min, max, MentoringModel.GROUP, ProgramSetting.COMMUNITY,
                DeliveryMode.IN_PERSON, List.of("en")).radius(3);
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    GraphQlTester.Response candidates(String status, Partnership p) {
        return graphQl.documentName("duplicateCandidates").variable("status", status)
                .variable("partnership", List.of(p.getId().toString())).variable("first", 10).execute();
    }

    List<Map> groups(String status, Partnership p) {
        return candidates(status, p).path("duplicateCandidates.groups").entityList(Map.class).get();
    }

    double placesPer1000(Partnership... mine) {
        return graphQl.documentName("access").variable("dataset", TORONTO)
                .variable("filter", Map.of("partnership", java.util.Arrays.stream(mine)
                        .map(m -> m.getId().toString()).toList()))
                .execute().path("access.placesPer1000").entity(Double.class).get();
    }

    @Test
    void aConfirmedGroupCountsOnceInAccessAndBothRecordsStay() {
        Callers.as("planner", Role.PLANNER, null);
        List<Map> found = groups("CANDIDATE", pushA);
        assertThat(found).hasSize(1);
        Map group = found.get(0);
        assertThat(group.get("status")).isEqualTo("CANDIDATE");
        assertThat(group.get("id")).isNull();
        assertThat((List<String>) group.get("programIds")).containsExactlyInAnyOrder(pushedA.getId().toString(),
                fedA.getId().toString());
        // Both provenances visible: each program with its partnership, source and source id.
        List<Map> programs = (List<Map>) group.get("programs");
        assertThat(programs).extracting(p -> ((Map) p.get("provenance")).get("partnership"))
                .containsExactlyInAnyOrder(pushA.getId().toString(), feedA.getId().toString());
        assertThat(programs).extracting(p -> ((Map) p.get("provenance")).get("sourceId"))
                .containsExactlyInAnyOrder("Riverdale Youth Mentoring Circle",
                        "Riverdale Youth Mentoring Circle (HSDS)");
        Map reason = ((List<Map>) group.get("reasons")).get(0);
        assertThat(reason.get("sameOrganization")).isEqualTo(false);
        assertThat(((Number) reason.get("nameSimilarity")).doubleValue()).isBetween(0.5, 1.0);
        assertThat(((Number) reason.get("distanceMetres")).doubleValue()).isBetween(20.0, 35.0);
        assertThat((List<String>) reason.get("programs")).containsExactlyInAnyOrderElementsOf(
                (List<String>) group.get("programIds"));
        assertThat(reason.get("ageOverlap")).isEqualTo(Map.of("min", 12, "max", 16));

        // 2SFCA sums over programs: together, each program's places count (twice the program's).
        double pushed = placesPer1000(pushA);
        double fed = placesPer1000(feedA);
        double before = placesPer1000(pushA, feedA);
        assertThat(pushed).isPositive();
        assertThat(fed).isPositive();
        assertThat(before).isCloseTo(pushed + fed, within(1e-9 * before));

        GraphQlTester.Response confirmed = graphQl.documentName("confirmDuplicates")
                .variable("programIds", List.of(pushedA.getId().toString(), fedA.getId().toString())).execute();
        confirmed.path("confirmDuplicates.__typename").entity(String.class).isEqualTo("DuplicatesDecided");
        confirmed.path("confirmDuplicates.group.status").entity(String.class).isEqualTo("CONFIRMED");
        confirmed.path("confirmDuplicates.group.decidedBy").entity(String.class).isEqualTo("planner");
        String counted = confirmed.path("confirmDuplicates.group.counted").entity(String.class).get();
        assertThat(counted).isIn(pushedA.getId().toString(), fedA.getId().toString());

        // Once confirmed, the group counts once: through the member it counts, as if it stood alone.
        double once = counted.equals(pushedA.getId().toString()) ? pushed : fed;
        assertThat(placesPer1000(pushA, feedA)).isCloseTo(once, within(1e-9 * before));
        // Through either partnership alone its own program still counts: the group counts once, not never.
        assertThat(placesPer1000(pushA)).isCloseTo(pushed, within(1e-9 * before));
        assertThat(placesPer1000(feedA)).isCloseTo(fed, within(1e-9 * before));

        assertThat(groups("CANDIDATE", pushA)).isEmpty();
        // A re-sync keeps the program's id, so it keeps the decision.
        fixtures.save(program(pushA, "Riverdale Youth Mentoring Circle", 43.6677, -79.3530, 10, 16)
                .description("Weekly circles"));
        List<Map> decided = groups("CONFIRMED", feedA);
        assertThat(decided).hasSize(1);
        assertThat((List<Map>) decided.get(0).get("programs")).hasSize(2);
        String countedNow = (String) decided.get(0).get("counted");
        assertThat(placesPer1000(pushA, feedA)).isCloseTo(countedNow.equals(pushedA.getId().toString())
                ? pushed : fed, within(1e-9 * before));
        for (TestProgram p : List.of(pushedA, fedA)) {
            graphQl.documentName("program").variable("id", p.getId().toString()).execute()
                    .path("program.status").entity(String.class).isEqualTo("ACTIVE")
                    .path("program.provenance.source").entity(String.class).isEqualTo("test");
        }
    }

    @Test
    void aDismissedGroupIsNoLongerProposed() {
        Callers.as("admin", Role.ADMIN, null);
        List<Map> found = groups("CANDIDATE", feedB);
        assertThat(found).hasSize(1);
        Map reason = ((List<Map>) found.get(0).get("reasons")).get(0);
        assertThat(((Number) reason.get("nameSimilarity")).doubleValue()).isEqualTo(1.0);
        assertThat(reason.get("ageOverlap")).isEqualTo(Map.of("min", 8, "max", 14));

        graphQl.documentName("dismissDuplicates")
                .variable("programIds", List.of(fedB.getId().toString(), pushedB.getId().toString())).execute()
                .path("dismissDuplicates.__typename").entity(String.class).isEqualTo("DuplicatesDecided")
                .path("dismissDuplicates.group.status").entity(String.class).isEqualTo("DISMISSED")
                .path("dismissDuplicates.group.counted").valueIsNull();
        assertThat(groups("CANDIDATE", feedB)).isEmpty();
        List<Map> dismissed = groups("DISMISSED", pushB);
        assertThat(dismissed).hasSize(1);
        assertThat((List<String>) dismissed.get(0).get("programIds")).containsExactlyInAnyOrder(
                pushedB.getId().toString(), fedB.getId().toString());
        assertThat((List<Map>) dismissed.get(0).get("reasons")).hasSize(1);
    }

    @Test
    void oneProviderUnderTwoPartnershipsIsProposedWhateverTheNames() {
        Partnership east = fixtures.partnership("Duplicates: east");
        Partnership west = fixtures.partnership("Duplicates: west");
        // Organizations are each partnership's own records: two rows, one provider (same name).
        TestProgram one = fixtures.save(program(east, "After-school buddies", 43.6900, -79.3000, 9, 13)
                .organization(fixtures.organization(east, "Scarborough Youth Services")));
        TestProgram other = fixtures.save(program(west, "Saturday mentors", 43.6902, -79.3001, 11, 15)
                .organization(fixtures.organization(west, "Scarborough Youth Services")));
        Callers.as("planner", Role.PLANNER, null);
        List<Map> found = groups(null, east);
        assertThat(found).hasSize(1);
        assertThat((List<String>) found.get(0).get("programIds")).containsExactlyInAnyOrder(
                one.getId().toString(), other.getId().toString());
        Map reason = ((List<Map>) found.get(0).get("reasons")).get(0);
        assertThat(reason.get("sameOrganization")).isEqualTo(true);
        assertThat(((Number) reason.get("nameSimilarity")).doubleValue()).isLessThan(0.5);
        assertThat(reason.get("ageOverlap")).isEqualTo(Map.of("min", 11, "max", 13));
    }

    @Test
    void badCandidateArgumentsAreNamed() {
        Callers.as("planner", Role.PLANNER, null);
        for (Object[] bad : new Object[][] {{"first", 0, "first"}, {"first", 51, "first"},
                {"after", "zzz", "after"}, {"partnership", List.of("nope"), "partnership[0]"}}) {
            graphQl.documentName("duplicateCandidates").variable((String) bad[0], bad[1]).execute().errors()
                    .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
                        assertThat(e.getExtensions()).containsEntry("argument", bad[2]);
                        assertThat(e.getMessage()).startsWith(bad[2] + ": ");
                    }));
        }
    }

    @Test
    void decisionsNameAtLeastTwoKnownPrograms() {
        Callers.as("planner", Role.PLANNER, null);
        graphQl.documentName("confirmDuplicates").variable("programIds", List.of(pushedB.getId().toString()))
                .execute().path("confirmDuplicates.__typename").entity(String.class).isEqualTo("InvalidDuplicates")
                .path("confirmDuplicates.field").entity(String.class).isEqualTo("programIds");
        graphQl.documentName("confirmDuplicates").variable("programIds", List.of(pushedB.getId().toString(),
                "not-an-id")).execute()
                .path("confirmDuplicates.field").entity(String.class).isEqualTo("programIds[1]");
        graphQl.documentName("dismissDuplicates").variable("programIds", List.of(pushedB.getId().toString(),
                "00000000-0000-0000-0000-000000000000")).execute()
                .path("dismissDuplicates.field").entity(String.class).isEqualTo("programIds[1]");
    }

    @Test
    void othersGetNotAllowedOrForbidden() {
        Callers.as("funder", Role.FUNDER, null);
        graphQl.documentName("confirmDuplicates")
                .variable("programIds", List.of(pushedB.getId().toString(), fedB.getId().toString())).execute()
                .path("confirmDuplicates.__typename").entity(String.class).isEqualTo("NotAllowed")
                .path("confirmDuplicates.message").entity(String.class)
                .isEqualTo("planning is for planners and admins");
        Callers.partnerOf(pushB.getSlug());
        graphQl.documentName("dismissDuplicates")
                .variable("programIds", List.of(pushedB.getId().toString(), fedB.getId().toString())).execute()
                .path("dismissDuplicates.__typename").entity(String.class).isEqualTo("NotAllowed");
        Callers.anonymous();
        candidates(null, pushB).errors().satisfy(errors -> assertThat(errors)
                .anyMatch(e -> e.getErrorType() == ErrorType.FORBIDDEN));
    }
}
