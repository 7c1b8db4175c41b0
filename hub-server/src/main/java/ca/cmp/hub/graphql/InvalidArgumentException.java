package ca.cmp.hub.graphql;

/**
 * A GraphQL argument the hub cannot use. {@link #argument()} is its path from the field, e.g.
 * {@code filter.near.radiusKm}; the message says what is wrong and what is allowed. Reported to the client as a
 * {@code BAD_REQUEST} error, never as an internal error.
 */
public class InvalidArgumentException extends RuntimeException {

    private final String argument;

    public InvalidArgumentException(String argument, String problem) {
        super(argument + ": " + problem);
        this.argument = argument;
    }

    public String argument() {
        return argument;
    }
}
