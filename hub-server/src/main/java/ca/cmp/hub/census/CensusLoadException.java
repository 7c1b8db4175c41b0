package ca.cmp.hub.census;

/**
 * A census file that cannot be loaded as a whole; the message names the file, the record and the field.
 * {@link #input()} names the part of the import to blame ({@code boundaries}, {@code codeProperty},
 * {@code counts}...), so the API can point the user at the input to fix.
 */
public class CensusLoadException extends RuntimeException {

    private final String input;

    public CensusLoadException(String message) {
        this("boundaries", message);
    }

    public CensusLoadException(String input, String message) {
        super(message);
        this.input = input;
    }

    public String input() {
        return input;
    }
}
