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

    /**
     * The abbreviation for a PRUID, for the first two digits of any longer StatCan code (CDUID, CSDUID, DAUID), or
     * for a DGUID (vintage, type and schema, e.g. {@code 2021S0512}, then the code).
     */
    static String abbreviation(String code) {
        if (code == null) {
            return null;
        }
        String plain = DGUID.matcher(code).matches() ? code.substring(9) : code;
        return plain.length() < 2 ? null : BY_PRUID.get(plain.substring(0, 2));
    }

    private static final java.util.regex.Pattern DGUID = java.util.regex.Pattern.compile("\\d{4}[A-Z]\\d{4}\\d{2,}");

    static String pruid(String abbreviation) {
        return BY_PRUID.entrySet().stream().filter(e -> e.getValue().equals(abbreviation)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
