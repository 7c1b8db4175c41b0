package ca.cmp.hub.connectors.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * A path into a GraphQL answer or one of its records: names joined by dots, each name optionally followed by
 * {@code [n]} (the n-th element, 0-based) or, where lists are allowed, {@code []} (every element), e.g.
 * {@code data.services.edges[].node} or {@code locations[0].address.city}. A name is matched exactly, else
 * ignoring case (sources spell {@code postalCode} and {@code postalcode}).
 */
final class ResponsePath {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[(\\d{0,4})\\])?");
    /** An index of {@link #EVERY}: the segment's list, element by element. */
    private static final int EVERY = -1;
    private static final int NONE = -2;

    private final String text;
    private final List<String> names;
    private final int[] indexes;

    private ResponsePath(String text, List<String> names, int[] indexes) {
        this.text = text;
        this.names = names;
        this.indexes = indexes;
    }

    /**
     * @param lists whether {@code []} may be used (a page path) or not (one value of a record)
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static ResponsePath parse(String text, boolean lists) {
        if (text == null || text.isBlank() || text.length() > 500) {
            throw new IllegalArgumentException("must be a path such as " + (lists ? "data.items or "
                    + "data.services.edges[].node" : "location.latitude") + ", at most 500 characters");
        }
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length > 20) {
            throw new IllegalArgumentException("\"" + text + "\" is nested more than 20 deep");
        }
        List<String> names = new ArrayList<>();
        int[] indexes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Matcher m = SEGMENT.matcher(parts[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + text + "\": \"" + parts[i] + "\" is not a field name "
                        + "(optionally with [n]" + (lists ? " or []" : "") + ")");
            }
            names.add(m.group(1));
            String index = m.group(2);
            if (index == null) {
                indexes[i] = NONE;
            } else if (index.isEmpty()) {
                if (!lists) {
                    throw new IllegalArgumentException("\"" + text + "\": [] (every element) is for the page path; "
                            + "a field takes one value, e.g. " + m.group(1) + "[0]");
                }
                indexes[i] = EVERY;
            } else {
                indexes[i] = Integer.parseInt(index);
            }
        }
        return new ResponsePath(text.strip(), List.copyOf(names), indexes);
    }

    String first() {
        return names.get(0);
    }

    /** The value at the path, or null where the record has none (a missing or null field, an index past the end). */
    JsonNode at(JsonNode node) {
        List<JsonNode> found = new ArrayList<>(1);
        walk(node, 0, found);
        return found.isEmpty() || found.get(0).isNull() ? null : found.get(0);
    }

    /**
     * Every value the path reaches, in order, or null when it does not reach the list it names: a field missing
     * or null on the way, or a {@code []} over something not a list.
     */
    List<JsonNode> all(JsonNode node) {
        List<JsonNode> found = new ArrayList<>();
        return walk(node, 0, found) ? found : null;
    }

    /**
     * The records the path names: as {@link #all}, and where it ends on a list without a {@code []}
     * ({@code data.items}), that list's elements, as a reader of the path means.
     */
    List<JsonNode> records(JsonNode node) {
        List<JsonNode> found = all(node);
        if (found != null && indexes[indexes.length - 1] == NONE && found.size() == 1 && found.get(0).isArray()) {
            List<JsonNode> elements = new ArrayList<>(found.get(0).size());
            found.get(0).forEach(elements::add);
            return elements;
        }
        return found;
    }

    /** Whether the node has every field the path names (a null or an empty list on the way counts). */
    boolean reaches(JsonNode node) {
        JsonNode at = node;
        for (int i = 0; i < names.size(); i++) {
            if (at == null || !at.isObject()) {
                // A null (or a value) where an object was expected: the field is there, without a value here.
                return i > 0;
            }
            at = field(at, names.get(i));
            if (at == null) {
                return false;
            }
            if (indexes[i] != NONE) {
                at = at.isArray() && !at.isEmpty() ? at.get(Math.max(0, Math.min(indexes[i], at.size() - 1))) : null;
            }
        }
        return true;
    }

    private boolean walk(JsonNode node, int i, List<JsonNode> found) {
        if (i == names.size()) {
            found.add(node);
            return true;
        }
        if (node == null || !node.isObject()) {
            return false;
        }
        JsonNode value = field(node, names.get(i));
        if (value == null || value.isNull() && i < names.size() - 1) {
            return false;
        }
        int index = indexes[i];
        if (index == NONE) {
            return walk(value, i + 1, found);
        }
        if (!value.isArray()) {
            return false;
        }
        if (index == EVERY) {
            for (JsonNode element : value) {
                if (!walk(element, i + 1, found)) {
                    return false;
                }
            }
            return true;
        }
        return index < value.size() && walk(value.get(index), i + 1, found);
    }

    private static JsonNode field(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value != null) {
            return value;
        }
        for (var e : object.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
