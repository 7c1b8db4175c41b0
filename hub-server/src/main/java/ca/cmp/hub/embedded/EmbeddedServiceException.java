package ca.cmp.hub.embedded;

/** The embedded database or cache cannot start; the message says what to install or configure. */
public class EmbeddedServiceException extends RuntimeException {

    EmbeddedServiceException(String message) {
        super(message);
    }
}
