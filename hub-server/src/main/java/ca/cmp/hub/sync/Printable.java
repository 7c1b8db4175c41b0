package ca.cmp.hub.sync;

/**
 * Text from a source as it may be stored and shown: control characters written out as escapes (a backslash, u and
 * four hex digits; PostgreSQL refuses NUL in text, and a raw newline or escape code in a report or log line misleads
 * its reader), and cut to a length with the number of characters left out. A source id or a reason echoing a bad value goes through here
 * before it is kept in a run's report.
 */
final class Printable {

    private Printable() {
    }

    /**
     * Where the first character a source's text may not hold is, or -1: a control character other than tab and
     * newline (C0, DEL, C1), a surrogate not in a pair, or a noncharacter U+FFFE/U+FFFF.
     */
    static int firstForbidden(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (forbidden(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean forbidden(char c) {
        return Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t'
                || Character.isSurrogate(c) || c == 0xfffe || c == 0xffff;
    }

    static String of(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 16);
        int i = 0;
        for (; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                out.append(c).append(value.charAt(++i));
            } else if (forbidden(c) || c == '\n' || c == '\t') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < value.length()) {
            out.append("… (").append(value.length() - i).append(" more characters)");
        }
        return out.toString();
    }
}
