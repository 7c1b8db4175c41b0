package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.StatementCounter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Every parent-to-child field is batched: a page of 40 programs costs the same statements as a page of 2. */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedChildrenTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    StatementCounter statements;

    Partnership partnership;

    @BeforeAll
    void publish() {
        partnership = fixtures.partnership("Batching test partnership");
        for (int i = 0; i < 40; i++) {
            Organization org = fixtures.organization(partnership, "Org " + i);
            fixtures.save(fixtures.program(partnership, "Program " + (100 + i), 43.6 + i * 0.001, -79.4, 6, 18,
                    MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en"))
                    .organization(org.getId())
                    .addSite(Fixtures.site("second site " + i, 43.6 + i * 0.001, -79.41)));
        }
    }

    int statementsForPage(int size) {
        statements.reset();
        graphQl.documentName("programPage")
                .variable("filter", Map.of("partnership", List.of(partnership.getId().toString()),
                        "near", Map.of("latitude", 43.6, "longitude", -79.4, "radiusKm", 50)))
                .variable("first", size).execute()
                .path("programs.edges").entityList(Object.class).hasSize(size)
                .path("programs.edges[*].node.sites[*].id").entityList(String.class).hasSize(2 * size)
                .path("programs.edges[*].node.organization.partnership.slug").entityList(String.class).hasSize(size);
        return statements.count();
    }

    @Test
    void statementCountDoesNotGrowWithThePage() {
        int small = statementsForPage(2);
        int large = statementsForPage(40);
        assertThat(large).isEqualTo(small);
        // page (with its KNN bound and its sites) + partnership + organization + service areas
        // + organization.partnership
        assertThat(large).isLessThanOrEqualTo(5);
    }

    @Test
    void sitesReadWithThePageAreTheBatchedOnes() {
        Partnership other = fixtures.partnership("Page sites test partnership");
        fixtures.save(new Program(other.getId(), "test", "No sites", "No sites", java.time.Instant.now())
                .radius(5));
        fixtures.save(fixtures.program(other, "One site", 43.7, -79.4, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")));
        // Same-named sites too: within a program, sites are ordered by name, then id.
        fixtures.save(fixtures.program(other, "Three sites", 43.71, -79.4, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en"))
                .addSite(Fixtures.site("A site", 43.72, -79.41)).addSite(Fixtures.site("A site", 43.73, -79.42)));
        String fields = "sites { id name address city province postalCode latitude longitude location precision }";
        List<Map<String, Object>> page = graphQl.document("query($f: ProgramFilter) { programs(filter: $f) { edges "
                        + "{ node { id name " + fields + " } } } }")
                .variable("f", Map.of("partnership", List.of(other.getId().toString()))).execute()
                .path("programs.edges[*].node").entityList(new org.springframework.core.ParameterizedTypeReference<
                        Map<String, Object>>() { }).get();
        assertThat(page).extracting(n -> n.get("name")).containsExactly("No sites", "One site", "Three sites");
        assertThat(page.get(0).get("sites")).isEqualTo(List.of());
        assertThat((List<?>) page.get(2).get("sites")).hasSize(3);
        for (Map<String, Object> node : page) {
            Object alone = graphQl.document("query($id: ID!) { program(id: $id) { " + fields + " } }")
                    .variable("id", node.get("id")).execute().path("program.sites").entity(Object.class).get();
            assertThat(node.get("sites")).as((String) node.get("name")).isEqualTo(alone);
        }
    }
}
