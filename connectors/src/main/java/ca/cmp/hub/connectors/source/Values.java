package ca.cmp.hub.connectors.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads the typed values of program fields from the text sources write: whole numbers, decimals, yes/no (also
 * oui/non), the hub's enum names in the spellings people use ("one-to-one", "In person"), and languages by ISO
 * code or English/French name. Each failure names the field and quotes the value.
 */
public final class Values {

    private static final Pattern SEPARATORS = Pattern.compile("\\s*[;,|/]\\s*");
    private static final Pattern SPACES_AND_DASHES = Pattern.compile("[\\s-]+");
    /**
     * A feed spells its enum values and language lists the same way on thousands of records: each spelling read
     * once is remembered (up to {@link #REMEMBERED} per kind; past that, spellings are read each time).
     */
    private static final int REMEMBERED = 1024;
    private static final ClassValue<Map<String, Enum<?>>> CHOICES = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final Map<String, List<String>> LANGUAGE_LISTS = new ConcurrentHashMap<>();
    private static final Map<String, String> LANGUAGE_CODES = new HashMap<>();

    static {
        for (String code : Locale.getISOLanguages()) {
            Locale language = Locale.forLanguageTag(code);
            LANGUAGE_CODES.put(language.getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
            LANGUAGE_CODES.put(language.getDisplayLanguage(Locale.FRENCH).toLowerCase(Locale.ROOT), code);
            LANGUAGE_CODES.put(language.getISO3Language(), code);
        }
        LANGUAGE_CODES.put("francais", "fr");
        LANGUAGE_CODES.put("cree", "cr");
        LANGUAGE_CODES.put("asl", "sgn");
    }

    private Values() {
    }

    public static Integer wholeNumber(String field, String text) throws RecordProblem {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.endsWith(".0")) {
                t = t.substring(0, t.length() - 2);
            }
            return Integer.valueOf(t);
        } catch (NumberFormatException e) {
            throw new RecordProblem(field, "\"" + text + "\" is not a whole number");
        }
    }

    public static Double decimal(String field, String text) throws RecordProblem {
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.strip().replace(',', '.'));
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new RecordProblem(field, "\"" + text + "\" is not a number");
        }
    }

    public static Boolean yesNo(String field, String text) throws RecordProblem {
        if (text == null) {
            return null;
        }
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "oui", "o", "vrai":
                return true;
            case "false", "no", "n", "0", "non", "faux":
                return false;
            default:
                throw new RecordProblem(field, "\"" + text + "\" is not yes or no");
        }
    }

    /** An enum constant from its name in any case, with spaces, hyphens or underscores. */
    public static <E extends Enum<E>> E choice(String field, String text, Class<E> type) throws RecordProblem {
        if (text == null) {
            return null;
        }
        Map<String, Enum<?>> known = CHOICES.get(type);
        Enum<?> remembered = known.get(text);
        if (remembered != null) {
            return type.cast(remembered);
        }
        String key = SPACES_AND_DASHES.matcher(text.strip().toUpperCase(Locale.ROOT)).replaceAll("_");
        if (key.equals("IN_PERSON") || key.equals("INPERSON")) {
            key = "IN_PERSON";
        }
        if (key.equals("1:1") || key.equals("ONE_ON_ONE")) {
            key = "ONE_TO_ONE";
        }
        if (key.equals("EMENTORING") || key.equals("ONLINE_MENTORING")) {
            key = "E_MENTORING";
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(key)) {
                if (known.size() < REMEMBERED) {
                    known.put(text, constant);
                }
                return constant;
            }
        }
        throw new RecordProblem(field, "\"" + text + "\" is not one of " + Arrays.toString(type.getEnumConstants()));
    }

    /**
     * ISO 639 codes from a list of codes or names ("en; fr", "English, French", "Français"); words that name no
     * language ("interpreters may be arranged") are skipped, since sources mix notes into this field.
     */
    public static List<String> languages(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> remembered = LANGUAGE_LISTS.get(text);
        if (remembered != null) {
            return remembered;
        }
        List<String> codes = new ArrayList<>();
        for (String part : SEPARATORS.split(text.strip())) {
            String word = part.strip().toLowerCase(Locale.ROOT);
            String code = word.length() == 2 && word.chars().allMatch(Character::isLetter) ? word
                    : LANGUAGE_CODES.get(word);
            if (code != null && !codes.contains(code)) {
                codes.add(code);
            }
        }
        List<String> result = List.copyOf(codes);
        if (LANGUAGE_LISTS.size() < REMEMBERED) {
            LANGUAGE_LISTS.put(text, result);
        }
        return result;
    }
}
