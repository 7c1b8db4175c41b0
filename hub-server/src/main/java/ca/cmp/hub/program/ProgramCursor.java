package ca.cmp.hub.program;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import ca.cmp.hub.graphql.InvalidArgumentException;

/**
 * Keyset position in a program listing, opaque to clients. By-name listings resume after (name, id); by-distance
 * listings after (distance in metres, id); listings of changes ({@code changedSince}) after (last change, id).
 * Keyset rather than offset so that deep pages cost what the first one does and concurrent inserts never duplicate
 * or skip a program.
 */
record ProgramCursor(Double distanceMetres, String name, Instant changedAt, UUID id) {

    /** The orders a listing can have; a cursor belongs to one. */
    enum Order {
        NAME('n', "ordered by name (without filter.near)"),
        DISTANCE('d', "ordered by distance (with filter.near)"),
        CHANGE('c', "ordered by last change (with filter.changedSince)");

        final char tag;
        final String described;

        Order(char tag, String described) {
            this.tag = tag;
            this.described = described;
        }

        static Order tagged(char tag) {
            for (Order o : values()) {
                if (o.tag == tag) {
                    return o;
                }
            }
            throw new IllegalArgumentException("kind");
        }
    }

    /** Longer than any cursor encode() writes (program names are at most 300 characters). */
    static final int MAX_LENGTH = 4096;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    static ProgramCursor byName(String name, UUID id) {
        return new ProgramCursor(null, name, null, id);
    }

    static ProgramCursor byDistance(double metres, UUID id) {
        return new ProgramCursor(metres, null, null, id);
    }

    /** @param changedAt as stored (microseconds), so that the keyset comparison is exact */
    static ProgramCursor byChange(Instant changedAt, UUID id) {
        return new ProgramCursor(null, null, changedAt, id);
    }

    boolean isByDistance() {
        return distanceMetres != null;
    }

    Order order() {
        return distanceMetres != null ? Order.DISTANCE : changedAt != null ? Order.CHANGE : Order.NAME;
    }

    String encode() {
        String key = switch (order()) {
            case DISTANCE -> Double.toString(distanceMetres);
            case CHANGE -> changedAt.toString();
            case NAME -> name;
        };
        String plain = order().tag + "\n" + key + "\n" + id;
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes {@code after} for a by-distance or by-name listing. */
    static ProgramCursor decode(String after, boolean byDistance) {
        return decode(after, byDistance ? Order.DISTANCE : Order.NAME);
    }

    /** Decodes {@code after}, checking that it belongs to a listing of the same order. */
    static ProgramCursor decode(String after, Order expected) {
        if (after == null) {
            return null;
        }
        if (after.length() > MAX_LENGTH) {
            throw new InvalidArgumentException("after", "is not a cursor returned by programs()");
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            int first = plain.indexOf('\n');
            int last = plain.lastIndexOf('\n');
            if (first != 1 || last <= first) {
                throw new IllegalArgumentException("shape");
            }
            Order kind = Order.tagged(plain.charAt(0));
            String key = plain.substring(first + 1, last);
            String idText = plain.substring(last + 1);
            UUID id = UUID.fromString(idText);
            if (!id.toString().equals(idText)) {
                throw new IllegalArgumentException("id");
            }
            if (kind != expected) {
                throw new InvalidArgumentException("after", "this cursor belongs to a listing " + kind.described);
            }
            switch (kind) {
                case DISTANCE -> {
                    // Only what encode() writes: a finite distance of at least 0 (NaN or Infinity would make the
                    // keyset comparison skip or repeat every program).
                    double metres = Double.parseDouble(key);
                    if (!Double.isFinite(metres) || metres < 0 || !key.equals(Double.toString(metres))) {
                        throw new IllegalArgumentException("distance");
                    }
                    return byDistance(metres, id);
                }
                case CHANGE -> {
                    try {
                        return byChange(Instant.parse(key), id);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("time");
                    }
                }
                default -> {
                    return byName(key, id);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("after", "is not a cursor returned by programs()");
        }
    }
}
