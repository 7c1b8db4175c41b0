package ca.cmp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Hostile documents are refused before execution, with a message and no internals. */
@HubTest
class HostileQueriesTest {

    @Autowired
    GraphQlTester graphQl;

    void refused(String document, String expected) {
        graphQl.document(document).execute().errors().satisfy(errors -> {
            assertThat(errors).isNotEmpty();
            assertThat(errors.get(0).getMessage()).contains(expected).doesNotContain("Exception");
        });
    }

    @Test
    void deepNestingIsRefused() {
        // partnerships > (programs > partnership) x 6 > name: 14 levels.
        String document = "{ partnerships { " + "programs { partnership { ".repeat(6) + "name" + " } }".repeat(6)
                + " } }";
        refused(document, "maximum query depth exceeded");
    }

    @Test
    void aliasBombIsRefused() {
        String document = IntStream.range(0, 40).mapToObj(i -> "a" + i + ": programs(first: 1) { totalCount }")
                .collect(Collectors.joining(" ", "{ ", " }"));
        refused(document, "the query uses 40 aliases; at most 30 are allowed");
    }

    @Test
    void hugeFanOutIsRefusedByCost() {
        String page = "programs(first: 100) { edges { node { sites { id location } partnership { programs { "
                + "sites { id name address city postalCode } } } } } }";
        String document = IntStream.range(0, 5).mapToObj(i -> "p" + i + ": " + page)
                .collect(Collectors.joining(" ", "{ ", " }"));
        refused(document, "maximum query complexity exceeded");
    }

    @Test
    void aDocumentWithinTheCostForSomeVariablesIsStillRefusedForOthers() {
        // The limits are checked once per document and per value of the variables they depend on: the same
        // document passes with a small page and is refused, every time, with a page that makes it too costly.
        String page = "query Fan($first: Int, $inner: Int) { a: programs(first: $first) { edges { node { partnership "
                + "{ programs { sites { id name } } } } } } b: programs(first: $inner) { totalCount } }";
        for (int i = 0; i < 2; i++) {
            graphQl.document(page).variable("first", 1).variable("inner", 1).execute().errors().verify();
            graphQl.document(page).variable("first", 100).variable("inner", 1).execute().errors()
                    .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                            .contains("maximum query complexity exceeded")));
        }
    }

    @Test
    void aDocumentWithinTheDepthUnlessADirectiveIncludesMoreIsRefusedWhenItDoes() {
        // The depth depends on @include's variable: passing without the deep part must not let it through with it.
        String deep = "programs @include(if: $deep) { partnership { " + "programs { partnership { ".repeat(5) + "name"
                + " } }".repeat(6);
        String document = "query Deep($deep: Boolean!) { partnerships { name " + deep + " } }";
        for (int i = 0; i < 2; i++) {
            graphQl.document(document).variable("deep", false).execute().path("partnerships").hasValue();
            graphQl.document(document).variable("deep", true).execute().errors()
                    .satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                            .contains("maximum query depth exceeded")));
        }
    }

    @Test
    void anOrdinaryFullPageIsAllowed() {
        graphQl.documentName("programPage").variable("first", 100).execute().errors().verify();
    }
}
