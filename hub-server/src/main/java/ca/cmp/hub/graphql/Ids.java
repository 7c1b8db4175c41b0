package ca.cmp.hub.graphql;

import java.util.UUID;

/** Reads the hub's ids (UUIDs) from GraphQL ID arguments, naming the argument when one is malformed. */
public final class Ids {

    private Ids() {
    }

    public static UUID parse(String argument, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(argument, "\"" + abbreviate(id) + "\" is not a hub id (a UUID)");
        }
    }

    /** The id as a UUID, or null when it is not a string holding one (for callers that report it themselves). */
    public static UUID orNull(Object id) {
        if (!(id instanceof String text)) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
