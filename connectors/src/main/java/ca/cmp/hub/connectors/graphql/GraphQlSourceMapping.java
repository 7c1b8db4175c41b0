package ca.cmp.hub.connectors.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import ca.cmp.hub.connectors.source.FieldMapping;

/**
 * How a generic GraphQL source (not a Mentoring Network Hub) is read: the query document it is asked, where the
 * records are in each answer, how to page, and where each program field is inside a record. The registered
 * mapping is JSON:
 *
 * <pre>{@code
 * {"query": "query($after: String, $first: Int) { services(first: $first, after: $after) {
 *            edges { node { key title location { lat lon } } } pageInfo { endCursor hasNextPage } } }",
 *  "records": "data.services.edges[].node",
 *  "endCursor": "data.services.pageInfo.endCursor", "hasNextPage": "data.services.pageInfo.hasNextPage",
 *  "cursorVariable": "after", "pageSize": 50, "pageSizeVariable": "first", "variables": {"region": "ON"},
 *  "fields": {"sourceId": "key", "name": "title", "latitude": "location.lat", "longitude": "location.lon"},
 *  "defaults": {"radiusKm": 10}}
 * }</pre>
 *
 * {@code fields} and {@code defaults} mean what they mean for a CSV ({@link FieldMapping}: the same program
 * field names), with a path inside the record ({@link ResponsePath}) in place of a column name. Paths into the
 * answer start at its root ({@code data.}). Without {@code endCursor} the source is read with one request.
 */
public final class GraphQlSourceMapping {

    private static final Set<String> KEYS = Set.of("query", "variables", "records", "endCursor", "hasNextPage",
            "cursorVariable", "pageSize", "pageSizeVariable", "fields", "defaults");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_QUERY = 10_000;
    static final int MAX_PAGE_SIZE = 1_000;

    private final String query;
    private final Map<String, Object> variables;
    private final ResponsePath records;
    private final ResponsePath endCursor;
    private final ResponsePath hasNextPage;
    private final String cursorVariable;
    private final Integer pageSize;
    private final String pageSizeVariable;
    private final FieldMapping fields;

    private GraphQlSourceMapping(String query, Map<String, Object> variables, ResponsePath records,
            ResponsePath endCursor, ResponsePath hasNextPage, String cursorVariable, Integer pageSize,
            String pageSizeVariable, FieldMapping fields) {
        this.query = query;
        this.variables = variables;
        this.records = records;
        this.endCursor = endCursor;
        this.hasNextPage = hasNextPage;
        this.cursorVariable = cursorVariable;
        this.pageSize = pageSize;
        this.pageSizeVariable = pageSizeVariable;
        this.fields = fields;
    }

    /**
     * Whether a GRAPHQL connector's mapping describes a generic source (it has a query); without one, the
     * connector pulls another Mentoring Network Hub, whose programs need no mapping.
     */
    public static boolean describesSource(Map<String, Object> mapping) {
        return mapping != null && mapping.containsKey("query");
    }

    /**
     * @throws IllegalArgumentException {@code "mapping.<key>: <reason>"}, for a mapping that cannot be right
     */
    public static GraphQlSourceMapping of(Map<String, Object> json) {
        Map<String, Object> config = json == null ? Map.of() : json;
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("mapping." + key + ": unknown key for a GraphQL source; expected "
                        + "one of " + KEYS);
            }
        }
        if (!(config.get("query") instanceof String query) || query.isBlank() || query.length() > MAX_QUERY) {
            throw new IllegalArgumentException("mapping.query: must be the GraphQL query document the source is "
                    + "asked, at most " + MAX_QUERY + " characters");
        }
        ResponsePath records = answerPath(config, "records", true, true);
        ResponsePath endCursor = answerPath(config, "endCursor", false, false);
        ResponsePath hasNextPage = answerPath(config, "hasNextPage", false, false);
        if (hasNextPage != null && endCursor == null) {
            throw new IllegalArgumentException("mapping.endCursor: is required with hasNextPage (the cursor of the "
                    + "next page, e.g. data.services.pageInfo.endCursor)");
        }
        String cursorVariable = variableName(config, "cursorVariable", "after");
        String pageSizeVariable = variableName(config, "pageSizeVariable", "first");
        Integer pageSize = null;
        Object size = config.get("pageSize");
        if (size != null) {
            if (!(size instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1
                    || n.intValue() > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("mapping.pageSize: must be a whole number from 1 to "
                        + MAX_PAGE_SIZE + ", got " + size);
            }
            pageSize = n.intValue();
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        if (config.get("variables") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> variables.put(String.valueOf(k), v));
        } else if (config.get("variables") != null) {
            throw new IllegalArgumentException("mapping.variables: must be an object of variable: value");
        }
        for (String paging : List.of(cursorVariable, pageSizeVariable)) {
            if (variables.containsKey(paging) && (paging.equals(cursorVariable) ? endCursor != null : pageSize != null)) {
                throw new IllegalArgumentException("mapping.variables." + paging + ": is set by paging, page by page");
            }
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (config.containsKey("fields")) {
            flat.put("fields", config.get("fields"));
        }
        if (config.containsKey("defaults")) {
            flat.put("defaults", config.get("defaults"));
        }
        FieldMapping fields = FieldMapping.of(flat);
        if (config.get("fields") instanceof Map<?, ?> given) {
            for (Map.Entry<?, ?> e : given.entrySet()) {
                try {
                    ResponsePath.parse(String.valueOf(e.getValue()), false);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("mapping.fields." + e.getKey() + ": " + bad.getMessage());
                }
            }
        }
        // A variable may be given as null (GraphQL's own "no value"), which Map.copyOf refuses.
        return new GraphQlSourceMapping(query, java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(variables)), records, endCursor, hasNextPage,
                cursorVariable, pageSize, pageSizeVariable, fields);
    }

    private static ResponsePath answerPath(Map<String, Object> config, String key, boolean required, boolean lists) {
        Object value = config.get(key);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("mapping." + key + ": " + (value == null ? "is required, " : "")
                    + "must be a path into the answer, e.g. " + (lists ? "data.services.edges[].node or data.items"
                            : "data.services.pageInfo." + key));
        }
        ResponsePath path;
        try {
            path = ResponsePath.parse(text, lists);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping." + key + ": " + e.getMessage());
        }
        if (!path.first().equals("data")) {
            throw new IllegalArgumentException("mapping." + key + ": a path into the answer starts at data (e.g. "
                    + "data." + text.strip() + ")");
        }
        return path;
    }

    private static String variableName(Map<String, Object> config, String key, String usual) {
        Object value = config.getOrDefault(key, usual);
        if (!(value instanceof String name) || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("mapping." + key + ": must be a GraphQL variable name (without $), "
                    + "got " + value);
        }
        return name;
    }

    /** The query document, as registered. */
    public String query() {
        return query;
    }

    /** The variable the cursor is sent in, or null when the source is read with one request (no endCursor). */
    public String cursorVariable() {
        return endCursor == null ? null : cursorVariable;
    }

    /** The variable the page size is sent in, or null when no page size is set. */
    public String pageSizeVariable() {
        return pageSize == null ? null : pageSizeVariable;
    }

    Integer pageSize() {
        return pageSize;
    }

    Map<String, Object> variables() {
        return variables;
    }

    ResponsePath records() {
        return records;
    }

    ResponsePath endCursor() {
        return endCursor;
    }

    ResponsePath hasNextPage() {
        return hasNextPage;
    }

    FieldMapping fields() {
        return fields;
    }
}
