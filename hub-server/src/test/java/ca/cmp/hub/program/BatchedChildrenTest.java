package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.DeliveryMode;
import ca.cmp.hub.connectors.MentoringModel;
import ca.cmp.hub.connectors.ProgramSetting;
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
        // near bound (KNN) + page + sites + partnership + organization + service areas + organization.partnership
        assertThat(large).isLessThanOrEqualTo(7);
    }
}
