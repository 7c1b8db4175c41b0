package ca.cmp.hub.hsds;

/** A query parameter the HSDS API cannot answer: answered 400 with the parameter and the reason. */
final class HsdsRequestException extends RuntimeException {

    private final String parameter;

    HsdsRequestException(String parameter, String reason) {
        super(reason);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
