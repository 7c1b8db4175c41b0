package ca.cmp.hub.census;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the age counts out of a Statistics Canada Census Profile download in its official "long" CSV layout: one
 * row per geography and characteristic, with columns {@code DGUID}, {@code GEO_LEVEL}, {@code GEO_NAME},
 * {@code CHARACTERISTIC_NAME}, {@code C1_COUNT_TOTAL} (and many more, ignored).
 *
 * <p>Characteristic names are matched after trimming (the profile indents them): the age-groups total, the bands
 * "5 to 9 years", "10 to 14 years", "15 to 19 years", and, where the profile has them, the single years "6 years"
 * … "18 years". A count the profile marks suppressed or unavailable ({@code x}, {@code ..}, {@code ...},
 * {@code F}, in {@code C1_COUNT_TOTAL} or, with that column empty, in the {@code SYMBOL} column beside it) is
 * recorded as suppressed: the area then loads with its youth unknown. A count that is simply not there (no row,
 * an empty cell without a symbol, text that is not a number) is missing, and the load names it. Files come as
 * UTF-8 (with or without BOM) or, for older vintages, Windows-1252; both are read.
 */
final class StatCanCensusProfile {

    private static final Set<String> REQUIRED_COLUMNS = Set.of("DGUID", "GEO_NAME", "CHARACTERISTIC_NAME",
            "C1_COUNT_TOTAL");
    private static final Pattern SINGLE_YEAR = Pattern.compile("(\\d{1,3}) years?");

    private StatCanCensusProfile() {
    }

    /** The profile's characteristic behind each count name of {@link AgeCounts}, for messages. */
    static final java.util.Map<String, String> CHARACTERISTICS = java.util.Map.of(
            AgeCounts.TOTAL, "\"Total - Age groups of the population\"", AgeCounts.AGE_5_9, "\"5 to 9 years\"",
            AgeCounts.AGE_10_14, "\"10 to 14 years\"", AgeCounts.AGE_15_19, "\"15 to 19 years\"");

    /** Area of a profile: its DGUID, name, level and age counts. */
    record ProfileArea(String dguid, String name, String level, AgeCounts counts) {
    }

    static Map<String, ProfileArea> read(Path csv) throws IOException {
        try {
            return read(csv, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return read(csv, Charset.forName("windows-1252"));
        }
    }

    private static Map<String, ProfileArea> read(Path csv, Charset charset) throws IOException {
        Map<String, Builder> areas = new HashMap<>();
        try (InputStream in = Files.newInputStream(csv);
                Reader reader = new InputStreamReader(in, charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(false).get().parse(reader)) {
            Map<String, Integer> header = new HashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.replace("\uFEFF", "").trim(), v));
            for (String column : REQUIRED_COLUMNS) {
                if (!header.containsKey(column)) {
                    throw new CensusLoadException(csv.getFileName() + ": not a Census Profile CSV: no column "
                            + column + " (found " + header.keySet() + ")");
                }
            }
            int countColumn = header.get("C1_COUNT_TOTAL");
            List<String> names = parser.getHeaderNames();
            int symbolColumn = countColumn + 1 < names.size() && names.get(countColumn + 1).trim().equals("SYMBOL")
                    ? countColumn + 1 : -1;
            for (CSVRecord row : parser) {
                String characteristic = row.get(header.get("CHARACTERISTIC_NAME")).trim();
                Slot slot = slot(characteristic);
                if (slot == null) {
                    continue;
                }
                String dguid = row.get(header.get("DGUID")).trim();
                Builder area = areas.computeIfAbsent(dguid, k -> new Builder(dguid,
                        row.get(header.get("GEO_NAME")).trim(),
                        header.containsKey("GEO_LEVEL") ? row.get(header.get("GEO_LEVEL")).trim() : null));
                String text = row.get(countColumn);
                if (text.isBlank() && symbolColumn >= 0 && symbolColumn < row.size()) {
                    text = row.get(symbolColumn);
                }
                area.put(slot, count(text), AgeCounts.isSuppressionSymbol(text));
            }
        }
        Map<String, ProfileArea> result = new HashMap<>();
        areas.forEach((dguid, b) -> result.put(dguid, b.build()));
        return result;
    }

    private enum Kind { TOTAL, BAND5, BAND10, BAND15, SINGLE }

    private record Slot(Kind kind, int age) {
    }

    private static Slot slot(String name) {
        if (name.startsWith("Total - Age")) {
            return new Slot(Kind.TOTAL, -1);
        }
        switch (name) {
            case "5 to 9 years":
                return new Slot(Kind.BAND5, -1);
            case "10 to 14 years":
                return new Slot(Kind.BAND10, -1);
            case "15 to 19 years":
                return new Slot(Kind.BAND15, -1);
            default:
                Matcher m = SINGLE_YEAR.matcher(name);
                if (m.matches()) {
                    int age = Integer.parseInt(m.group(1));
                    if (age >= AgeCounts.FIRST_AGE && age <= AgeCounts.LAST_AGE) {
                        return new Slot(Kind.SINGLE, age);
                    }
                }
                return null;
        }
    }

    /** The count, or null when there is none (suppressed, or missing). */
    private static Double count(String text) {
        String t = text.trim();
        if (t.isEmpty() || AgeCounts.isSuppressionSymbol(t)) {
            return null;
        }
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class Builder {
        final String dguid;
        final String name;
        final String level;
        Double total;
        Double band5;
        Double band10;
        Double band15;
        final double[] singles = new double[13];
        int singlesSeen;
        final Set<String> suppressed = new java.util.HashSet<>();

        Builder(String dguid, String name, String level) {
            this.dguid = dguid;
            this.name = name;
            this.level = level;
        }

        void put(Slot slot, Double value, boolean marked) {
            if (marked && value == null) {
                switch (slot.kind()) {
                    case TOTAL -> suppressed.add(AgeCounts.TOTAL);
                    case BAND5 -> suppressed.add(AgeCounts.AGE_5_9);
                    case BAND10 -> suppressed.add(AgeCounts.AGE_10_14);
                    case BAND15 -> suppressed.add(AgeCounts.AGE_15_19);
                    case SINGLE -> {
                        // A suppressed single year leaves the single years incomplete: the bands are used.
                    }
                }
            }
            switch (slot.kind()) {
                case TOTAL -> total = total == null ? value : total;
                case BAND5 -> band5 = band5 == null ? value : band5;
                case BAND10 -> band10 = band10 == null ? value : band10;
                case BAND15 -> band15 = band15 == null ? value : band15;
                case SINGLE -> {
                    if (value != null) {
                        singles[slot.age() - AgeCounts.FIRST_AGE] = value;
                        singlesSeen++;
                    }
                }
            }
        }

        ProfileArea build() {
            return new ProfileArea(dguid, name, level, new AgeCounts(total == null ? null : total.intValue(), band5,
                    band10, band15, null, singlesSeen == 13 ? singles : null, suppressed));
        }
    }
}
