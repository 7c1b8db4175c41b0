package ca.cmp.hub.partnership;

/** The SDL's {@code UnknownPartnership}: an operation named a partnership (by id or slug) that does not exist. */
public record UnknownPartnership(String partnership, String message) {

    public static UnknownPartnership of(String idOrSlug) {
        return new UnknownPartnership(idOrSlug, "no partnership has the id or slug \"" + idOrSlug + "\"");
    }
}
