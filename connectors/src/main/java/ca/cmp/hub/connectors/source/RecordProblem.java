package ca.cmp.hub.connectors.source;

/** One field of one source record cannot be read; the connector turns it into a SourceProblem. */
public final class RecordProblem extends Exception {

    private final String field;

    public RecordProblem(String field, String reason) {
        super(reason, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
