package ca.cmp.hub.connectors;

/**
 * A read of a source failed as a whole. {@code transientFailure} says whether trying again later may help (a
 * timeout, a 5xx, a connection reset) as opposed to a source that is wrong (a 404, a file that is not JSON, a
 * forbidden address), which retries cannot fix.
 */
public class ConnectorException extends Exception {

    private final boolean transientFailure;

    public ConnectorException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public ConnectorException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
