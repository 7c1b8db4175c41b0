package ca.cmp.hub.census;

/** A census file that cannot be loaded as a whole; the message names the file, the record and the field. */
public class CensusLoadException extends RuntimeException {

    public CensusLoadException(String message) {
        super(message);
    }
}
