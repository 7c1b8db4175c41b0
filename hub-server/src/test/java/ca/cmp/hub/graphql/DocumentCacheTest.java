package ca.cmp.hub.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.cmp.hub.support.HubTest;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

/** The parsed-document cache is bounded by weight and keeps only documents that passed validation. */
@HubTest
class DocumentCacheTest {

    @Autowired
    DocumentCache hubCache;

    @Autowired
    GraphQlTester graphQl;

    static final PreparsedDocumentEntry ENTRY = new PreparsedDocumentEntry(Document.newDocument().build());

    @Test
    void fiveHundredUniqueMegabyteDocumentsStayWithinTheBudget() {
        long budget = 16L * 1024 * 1024;
        DocumentCache cache = new DocumentCache(budget);
        for (int i = 0; i < 500; i++) {
            // Near the largest kept (a sixteenth of the budget), as an attacker would choose them.
            cache.put(i + "x".repeat(300_000), ENTRY);
            assertThat(cache.weight()).isLessThanOrEqualTo(budget);
        }
        assertThat(cache.size()).isLessThan(500).isPositive();
        // A megabyte document is heavier than a sixteenth of the budget: never kept.
        DocumentCache fresh = new DocumentCache(budget);
        fresh.put("y".repeat(1_000_000), ENTRY);
        assertThat(fresh.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedGoesFirst() {
        DocumentCache cache = new DocumentCache(DocumentCache.weigh("a".repeat(100)) * 40);
        for (int i = 0; i < 40; i++) {
            cache.put(String.format("%03d", i) + "a".repeat(97), ENTRY);
        }
        assertThat(cache.get("000" + "a".repeat(97))).isNotNull();
        cache.put("new" + "a".repeat(97), ENTRY);
        assertThat(cache.get("000" + "a".repeat(97))).as("used last, kept").isNotNull();
        assertThat(cache.get("001" + "a".repeat(97))).as("least recently used, evicted").isNull();
    }

    @Test
    void documentsThatFailValidationAreNotKept() {
        int before = hubCache.size();
        for (int i = 0; i < 5; i++) {
            graphQl.document("{ noSuchField" + i + " }").execute().errors().satisfy(e -> assertThat(e).isNotEmpty());
        }
        assertThat(hubCache.size()).isEqualTo(before);
        graphQl.document("{ viewer { anonymous } }").execute().errors().verify();
        assertThat(hubCache.size()).isEqualTo(before + 1);
    }
}
