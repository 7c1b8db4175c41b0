package ca.cmp.hub.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.StatementCounter;
import ca.cmp.hub.support.TestProgram;
import org.springframework.graphql.ResponseError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub as a federation subgraph, at the GraphQL level: its SDL, batched entity fetches, and the hub's rules
 * through {@code _entities} (private fields, limits, and an error naming each representation it cannot answer).
 * FederationGatewayTest puts a real Apollo gateway in front.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    StatementCounter statements;

    @Autowired
    JdbcTemplate jdbc;

    Partnership partnership;
    Organization organization;
    List<String> programIds = new ArrayList<>();

    @BeforeAll
    void publish() {
        partnership = fixtures.partnership("Federation test partnership");
        jdbc.update("UPDATE partnership SET contact = 'private@example.org' WHERE id = ?", partnership.getId());
        organization = fixtures.organization(partnership, "Federated org");
        for (int i = 0; i < 100; i++) {
            TestProgram program = fixtures.save(fixtures.program(partnership, "Federated " + (100 + i), 45.4 + i * 0.001,
                    -75.7, 6, 18, MentoringModel.ONE_TO_ONE, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON,
                    List.of("en", "fr")).organization(organization));
            programIds.add(program.getId().toString());
        }
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    static Map<String, Object> program(String id) {
        return Map.of("__typename", "Program", "id", id);
    }

    @Test
    void theSdlFollowsTheIntrospectionSetting() {
        // The SDL is the whole schema: anonymous callers are refused it as introspection (by default);
        // FederationGatewayTest reads it with a token over HTTP and composes a gateway from it.
        graphQl.document("{ _service { sdl } }").execute().errors().satisfy(errors -> assertThat(errors)
                .singleElement().extracting(ResponseError::getMessage).asString()
                .contains("introspection needs a token"));
    }

    int statementsFor(int count) {
        statements.reset();
        List<Map<String, Object>> representations = programIds.subList(0, count).stream()
                .map(FederationTest::program).toList();
        graphQl.documentName("programEntities").variable("representations", representations).execute()
                .path("_entities").entityList(Object.class).hasSize(count)
                .path("_entities[*].name").entityList(String.class).hasSize(count)
                .path("_entities[*].partnership.slug").entityList(String.class).hasSize(count);
        return statements.count();
    }

    @Test
    void aHundredProgramsCostTheStatementsOfTwo() {
        int two = statementsFor(2);
        int hundred = statementsFor(100);
        assertThat(hundred).isEqualTo(two);
        // programs + their partnerships + their sites
        assertThat(hundred).isLessThanOrEqualTo(3);
    }

    @Test
    void entitiesComeInTheOrderAskedWhateverTheirType() {
        List<Map<String, Object>> representations = List.of(program(programIds.get(7)),
                Map.of("__typename", "Partnership", "slug", partnership.getSlug()),
                Map.of("__typename", "Organization", "id", organization.getId().toString()),
                Map.of("__typename", "Partnership", "id", partnership.getId().toString()),
                program(programIds.get(3)));
        graphQl.documentName("programEntities").variable("representations", representations).execute()
                .errors().verify()
                .path("_entities[*].__typename").entityList(String.class)
                .containsExactly("Program", "Partnership", "Organization", "Partnership", "Program")
                .path("_entities[0].name").entity(String.class).isEqualTo("Federated 107")
                .path("_entities[1].name").entity(String.class).isEqualTo("Federation test partnership")
                .path("_entities[2].partnership.slug").entity(String.class).isEqualTo(partnership.getSlug())
                .path("_entities[3].slug").entity(String.class).isEqualTo(partnership.getSlug())
                .path("_entities[4].name").entity(String.class).isEqualTo("Federated 103");
    }

    @Test
    void privateFieldsStayPrivateThroughEntities() {
        List<Map<String, Object>> representations = List.of(program(programIds.get(0)),
                Map.of("__typename", "Partnership", "id", partnership.getId().toString()));
        graphQl.documentName("programEntities").variable("representations", representations).execute()
                .path("_entities[0].partnership.slug").entity(String.class).isEqualTo(partnership.getSlug())
                .path("_entities[0].partnership.contact").valueIsNull()
                .path("_entities[1].contact").valueIsNull();

        Callers.partnerOf(partnership.getSlug());
        graphQl.documentName("programEntities").variable("representations", representations).execute()
                .path("_entities[0].partnership.contact").entity(String.class).isEqualTo("private@example.org")
                .path("_entities[1].contact").entity(String.class).isEqualTo("private@example.org");
    }

    @Test
    void eachRepresentationItCannotAnswerIsNamed() {
        String unknown = UUID.randomUUID().toString();
        List<Object> representations = List.of(program(programIds.get(0)),
                Map.of("__typename", "Mentor", "id", "m-1"),
                Map.of("id", programIds.get(1)),
                Map.of("__typename", "Program", "id", "not-an-id"),
                Map.of("__typename", "Program", "name", "no key"),
                program(unknown),
                Map.of("__typename", "Partnership", "slug", 42),
                program(programIds.get(2)));
        GraphQlTester.Response response = graphQl.documentName("programEntities")
                .variable("representations", representations).execute();
        response.errors().satisfy(errors -> {
            assertThat(errors).extracting(ResponseError::getMessage).containsExactly(
                    "representations[1] (Mentor): \"Mentor\" is no entity of this subgraph (entities: "
                            + "CensusArea, Organization, Partnership, Program)",
                    "representations[2]: __typename is missing (or not a string)",
                    "representations[3] (Program): no Program has id \"not-an-id\"",
                    "representations[4] (Program): its key is missing or not a string: give id",
                    "representations[5] (Program): no Program has id \"" + unknown + "\"",
                    "representations[6] (Partnership): its key is missing or not a string: give id or slug");
            assertThat(errors).extracting(ResponseError::getParsedPath).containsExactly(List.of("_entities", 1),
                    List.of("_entities", 2), List.of("_entities", 3), List.of("_entities", 4),
                    List.of("_entities", 5), List.of("_entities", 6));
            assertThat(errors.get(0).getExtensions()).containsEntry("representation", 1)
                    .containsEntry("typename", "Mentor");
        });
        response.path("_entities[0].name").entity(String.class).isEqualTo("Federated 100")
                .path("_entities[1]").valueIsNull()
                .path("_entities[7].name").entity(String.class).isEqualTo("Federated 102");
    }

    @Test
    void theCostLimitCountsEveryRepresentation() {
        // 20 sites' worth per program (sites are an unpaged list): 2,000 representations cost far over 20,000.
        List<Map<String, Object>> representations = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            representations.add(program(programIds.get(i % programIds.size())));
        }
        statements.reset();
        graphQl.documentName("programEntities").variable("representations", representations).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().extracting(ResponseError::getMessage)
                        .asString().startsWith("maximum query complexity exceeded"));
        assertThat(statements.count()).as("refused before executing").isZero();
    }

    @Test
    void theDepthLimitHoldsInsideEntities() {
        String nested = "id";
        for (int i = 0; i < 6; i++) {
            nested = "partnership { programs { " + nested + " } }";
        }
        String deep = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { " + nested + " } } }";
        graphQl.document(deep).variable("r", List.of(program(programIds.get(0)))).execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement().extracting(ResponseError::getMessage)
                        .asString().startsWith("maximum query depth exceeded"));
    }
}
