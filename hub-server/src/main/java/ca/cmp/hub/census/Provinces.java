package ca.cmp.hub.census;

import java.util.Map;

/** Statistics Canada's province and territory codes (PRUID) and the two-letter postal abbreviations. */
final class Provinces {

    private static final Map<String, String> BY_PRUID = Map.ofEntries(Map.entry("10", "NL"), Map.entry("11", "PE"),
            Map.entry("12", "NS"), Map.entry("13", "NB"), Map.entry("24", "QC"), Map.entry("35", "ON"),
            Map.entry("46", "MB"), Map.entry("47", "SK"), Map.entry("48", "AB"), Map.entry("59", "BC"),
            Map.entry("60", "YT"), Map.entry("61", "NT"), Map.entry("62", "NU"));

    private Provinces() {
    }

    /** The abbreviation for a PRUID, or the first two digits of any longer StatCan code (CDUID, CSDUID, DAUID). */
    static String abbreviation(String code) {
        if (code == null || code.length() < 2) {
            return null;
        }
        return BY_PRUID.get(code.substring(0, 2));
    }

    static String pruid(String abbreviation) {
        return BY_PRUID.entrySet().stream().filter(e -> e.getValue().equals(abbreviation)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
