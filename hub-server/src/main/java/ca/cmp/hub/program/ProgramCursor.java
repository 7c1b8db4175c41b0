package ca.cmp.hub.program;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import ca.cmp.hub.graphql.InvalidArgumentException;

/**
 * Keyset position in a program listing, opaque to clients. By-name listings resume after (name, id); by-distance
 * listings after (distance in metres, id). Keyset rather than offset so that deep pages cost what the first one
 * does and concurrent inserts never duplicate or skip a program.
 */
record ProgramCursor(Double distanceMetres, String name, UUID id) {

    /** Longer than any cursor encode() writes (program names are at most 300 characters). */
    static final int MAX_LENGTH = 4096;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    static ProgramCursor byName(String name, UUID id) {
        return new ProgramCursor(null, name, id);
    }

    static ProgramCursor byDistance(double metres, UUID id) {
        return new ProgramCursor(metres, null, id);
    }

    boolean isByDistance() {
        return distanceMetres != null;
    }

    String encode() {
        String plain = isByDistance() ? "d\n" + Double.toString(distanceMetres) + "\n" + id : "n\n" + name + "\n" + id;
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes {@code after}, checking that it belongs to a listing of the same order. */
    static ProgramCursor decode(String after, boolean byDistance) {
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
            char kind = plain.charAt(0);
            String key = plain.substring(first + 1, last);
            String idText = plain.substring(last + 1);
            UUID id = UUID.fromString(idText);
            if (!id.toString().equals(idText)) {
                throw new IllegalArgumentException("id");
            }
            if (kind == 'd' && byDistance) {
                // Only what encode() writes: a finite distance of at least 0 (NaN or Infinity would make the
                // keyset comparison skip or repeat every program).
                double metres = Double.parseDouble(key);
                if (!Double.isFinite(metres) || metres < 0 || !key.equals(Double.toString(metres))) {
                    throw new IllegalArgumentException("distance");
                }
                return byDistance(metres, id);
            }
            if (kind == 'n' && !byDistance) {
                return byName(key, id);
            }
            throw new InvalidArgumentException("after", "this cursor belongs to a listing "
                    + (kind == 'd' ? "ordered by distance (with filter.near)" : "ordered by name (without filter.near)"));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("after", "is not a cursor returned by programs()");
        }
    }
}
