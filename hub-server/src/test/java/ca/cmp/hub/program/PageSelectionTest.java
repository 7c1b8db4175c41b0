package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

/** Whether a programs page is asked for its sites: directly, through named and inline fragments, or not. */
class PageSelectionTest {

    static boolean asksForSites(String query) {
        Document document = Parser.parse(query);
        Map<String, FragmentDefinition> fragments = document.getDefinitionsOfType(FragmentDefinition.class).stream()
                .collect(Collectors.toMap(FragmentDefinition::getName, f -> f));
        List<Field> programs = document.getDefinitionsOfType(OperationDefinition.class).get(0).getSelectionSet()
                .getSelectionsOfType(Field.class).stream().filter(f -> f.getName().equals("programs")).toList();
        return ProgramController.selects(fragments, programs, 0, "programs", "edges", "node", "sites");
    }

    @Test
    void findsSitesHoweverTheyAreAskedFor() {
        assertThat(asksForSites("{ programs { edges { node { id sites { id } } } } }")).isTrue();
        assertThat(asksForSites("{ near: programs { edges { node { sites { latitude } } } } }")).isTrue();
        assertThat(asksForSites("{ programs { edges { ...E } } } fragment E on ProgramEdge { node { ...N } }"
                + " fragment N on Program { name sites { id } }")).isTrue();
        assertThat(asksForSites("{ programs { ... on ProgramConnection { edges { node { ... { sites { id } } } } } } }"))
                .isTrue();
    }

    @Test
    void noSitesWhenNoneAreAskedFor() {
        assertThat(asksForSites("{ programs { edges { node { id name } } } }")).isFalse();
        assertThat(asksForSites("{ programs { totalCount edges { cursor } } }")).isFalse();
        // "sites" elsewhere than under edges.node.
        assertThat(asksForSites("{ programs { edges { node { partnership { programs { sites { id } } } } } } }"))
                .isFalse();
    }
}
