package ca.cmp.hub.connector;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;

/**
 * Checks, at registration, the query document a generic GraphQL source is asked: it must parse, be one query (a
 * connector reads; it never sends a mutation or subscription to a partner's API), and declare the variables
 * paging sends, so that a mistake shows when the connector is registered rather than at its first run.
 */
final class SourceQuery {

    private SourceQuery() {
    }

    /**
     * @param cursorVariable   the variable the cursor is sent in, or null when the source is not paged
     * @param pageSizeVariable the variable the page size is sent in, or null when none is sent
     * @return why the document will not do, if it will not
     */
    static Optional<String> check(String query, String cursorVariable, String pageSizeVariable) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException e) {
            // graphql-java's InvalidSyntaxException, and its parser's limits (tokens, depth).
            return Optional.of("is not a GraphQL document: " + e.getMessage());
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() != 1) {
            return Optional.of("must hold exactly one operation, found " + operations.size());
        }
        OperationDefinition operation = operations.get(0);
        if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return Optional.of("must be a query, not a " + operation.getOperation().name().toLowerCase());
        }
        Set<String> declared = operation.getVariableDefinitions().stream().map(v -> v.getName())
                .collect(Collectors.toSet());
        for (String paging : new String[] {cursorVariable, pageSizeVariable}) {
            if (paging != null && !declared.contains(paging)) {
                return Optional.of("must declare $" + paging + " (sent page by page"
                        + (paging.equals(cursorVariable) ? ", the cursor of the page before" : ", the page size")
                        + "); it declares " + (declared.isEmpty() ? "no variables" : declared.stream().sorted()
                                .map(n -> "$" + n).collect(Collectors.joining(", "))));
            }
        }
        return Optional.empty();
    }
}
