package ca.cmp.hub.connectors.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How a flat record (a CSV row, a GeoJSON feature's properties) maps to a program: for each hub field the
 * source's column or property name, and constant defaults for fields the source lacks (a partnership's feed of
 * one-to-one community programs need not say so on every line).
 *
 * <p>The registered mapping is JSON: {@code {"fields": {"sourceId": "ID", "name": "NAME"}, "defaults": {"model":
 * "ONE_TO_ONE", "radiusKm": 10}, "delimiter": ";", "encoding": "windows-1252"}}. Fields not named are looked up
 * under their usual names (below), case-insensitively.
 */
public final class FieldMapping {

    /** The hub's flat fields and the column names they are found under when the mapping does not say. */
    static final Map<String, List<String>> USUAL_NAMES;

    static {
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put("sourceId", List.of("id", "source_id", "program_id", "objectid"));
        names.put("name", List.of("name", "program_name", "program", "title"));
        names.put("description", List.of("description", "desc"));
        names.put("minAge", List.of("min_age", "minimum_age", "age_min", "minage"));
        names.put("maxAge", List.of("max_age", "maximum_age", "age_max", "maxage"));
        names.put("model", List.of("model", "mentoring_model"));
        names.put("setting", List.of("setting"));
        names.put("languages", List.of("languages", "language"));
        names.put("mode", List.of("mode", "delivery_mode"));
        names.put("radiusKm", List.of("radius_km", "radiuskm", "radius"));
        names.put("servesRegion", List.of("serves_region"));
        names.put("activeMatches", List.of("active_matches"));
        names.put("maxMatches", List.of("max_matches", "capacity"));
        names.put("waitlist", List.of("waitlist", "wait_list"));
        names.put("feeFree", List.of("fee_free", "free"));
        names.put("feeDescription", List.of("fee_description", "fees"));
        names.put("status", List.of("status"));
        names.put("organizationId", List.of("organization_id", "org_id"));
        names.put("organization", List.of("organization", "organization_name", "agency"));
        names.put("website", List.of("website", "url"));
        names.put("email", List.of("email"));
        names.put("phone", List.of("phone", "telephone"));
        names.put("siteName", List.of("site_name", "location_name"));
        names.put("address", List.of("address", "street_address", "address_1"));
        names.put("city", List.of("city", "municipality"));
        names.put("province", List.of("province", "prov", "state_province"));
        names.put("postalCode", List.of("postal_code", "postalcode", "postcode", "postal"));
        names.put("latitude", List.of("latitude", "lat"));
        names.put("longitude", List.of("longitude", "lon", "lng", "long"));
        USUAL_NAMES = Map.copyOf(names);
    }

    private final Map<String, String> fields;
    private final Map<String, Object> defaults;
    /** The defaults as text, read for every empty value of every record; "null" (any case) is no default. */
    private final Map<String, String> defaultTexts = new java.util.HashMap<>();
    private final String delimiter;
    private final String encoding;

    private FieldMapping(Map<String, String> fields, Map<String, Object> defaults, String delimiter,
            String encoding) {
        this.fields = fields;
        this.defaults = defaults;
        defaults.forEach((field, value) -> {
            if (value != null && !String.valueOf(value).toLowerCase(Locale.ROOT).equals("null")) {
                defaultTexts.put(field, String.valueOf(value));
            }
        });
        this.delimiter = delimiter;
        this.encoding = encoding;
    }

    /**
     * @throws IllegalArgumentException naming the key, for a mapping that cannot be right
     */
    @SuppressWarnings("unchecked")
    public static FieldMapping of(Map<String, Object> json) {
        Map<String, Object> config = json == null ? Map.of() : json;
        long size = size(config, 0);
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("mapping: " + (size == Long.MAX_VALUE ? "nested too deeply"
                    : "about " + size + " characters; at most " + MAX_SIZE + " are allowed"));
        }
        Set<String> known = Set.of("fields", "defaults", "delimiter", "encoding", "partnershipRegion");
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("mapping." + key + ": unknown key; expected one of " + known);
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (config.get("fields") instanceof Map<?, ?> given) {
            for (Map.Entry<?, ?> e : given.entrySet()) {
                String field = String.valueOf(e.getKey());
                if (!USUAL_NAMES.containsKey(field)) {
                    throw new IllegalArgumentException("mapping.fields." + field + ": not a program field; expected "
                            + "one of " + USUAL_NAMES.keySet());
                }
                if (!(e.getValue() instanceof String column) || column.isBlank() || column.length() > 200) {
                    throw new IllegalArgumentException("mapping.fields." + field + ": must be a column name, or a "
                            + "path in a GraphQL source's record (at most 200 characters)");
                }
                fields.put(field, column);
            }
        } else if (config.containsKey("fields")) {
            throw new IllegalArgumentException("mapping.fields: must be an object of field: column");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (config.get("defaults") instanceof Map<?, ?> given) {
            for (Map.Entry<?, ?> e : given.entrySet()) {
                String field = String.valueOf(e.getKey());
                if (!USUAL_NAMES.containsKey(field)) {
                    throw new IllegalArgumentException("mapping.defaults." + field + ": not a program field");
                }
                checkDefault(field, e.getValue());
                defaults.put(field, e.getValue());
            }
        } else if (config.containsKey("defaults")) {
            throw new IllegalArgumentException("mapping.defaults: must be an object of field: value");
        }
        String delimiter = config.get("delimiter") == null ? "," : String.valueOf(config.get("delimiter"));
        if (delimiter.length() != 1) {
            throw new IllegalArgumentException("mapping.delimiter: must be one character, got \"" + delimiter + "\"");
        }
        String encoding = config.get("encoding") == null ? "UTF-8" : String.valueOf(config.get("encoding"));
        try {
            java.nio.charset.Charset.forName(encoding);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("mapping.encoding: unknown character set \"" + encoding + "\"");
        }
        return new FieldMapping(Map.copyOf(fields), java.util.Collections.unmodifiableMap(defaults), delimiter,
                encoding);
    }

    /** Bigger mappings are not mistakes a partner makes: one column name per field and a few defaults. */
    static final int MAX_SIZE = 16_384;

    /** The characters of a mapping's keys and values, Long.MAX_VALUE past 8 levels of nesting. */
    private static long size(Object value, int depth) {
        if (depth > 8) {
            return Long.MAX_VALUE;
        }
        long total = 0;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                long inner = size(e.getValue(), depth + 1);
                total = inner == Long.MAX_VALUE ? inner : total + String.valueOf(e.getKey()).length() + inner;
                if (total == Long.MAX_VALUE) {
                    return total;
                }
            }
            return total;
        }
        if (value instanceof java.util.Collection<?> list) {
            for (Object item : list) {
                long inner = size(item, depth + 1);
                if (inner == Long.MAX_VALUE) {
                    return inner;
                }
                total += inner;
            }
            return total;
        }
        return String.valueOf(value).length();
    }

    /**
     * A default must be what a record's value may be (checked as records' values are read, and with the bounds
     * the hub applies to each record), or every record would be rejected at run time.
     */
    private static void checkDefault(String field, Object value) {
        if (value == null || String.valueOf(value).equalsIgnoreCase("null")) {
            return;
        }
        String text = String.valueOf(value);
        String at = "mapping.defaults." + field;
        try {
            switch (field) {
                case "sourceId", "latitude", "longitude", "postalCode" -> throw new IllegalArgumentException(at
                        + ": cannot have a default (it differs from record to record)");
                case "model" -> Values.choice(field, text, ca.cmp.hub.model.MentoringModel.class);
                case "setting" -> Values.choice(field, text, ca.cmp.hub.model.ProgramSetting.class);
                case "mode" -> Values.choice(field, text, ca.cmp.hub.model.DeliveryMode.class);
                case "status" -> {
                    ca.cmp.hub.model.ProgramStatus status = Values.choice(field, text,
                            ca.cmp.hub.model.ProgramStatus.class);
                    if (status == ca.cmp.hub.model.ProgramStatus.RETIRED) {
                        throw new IllegalArgumentException(at + ": RETIRED is the hub's; use ACTIVE, PAUSED or CLOSED");
                    }
                }
                case "radiusKm" -> {
                    double km = Values.decimal(field, text);
                    if (!(km > 0 && km <= 500)) {
                        throw new IllegalArgumentException(at + ": must be greater than 0 and at most 500 km, got "
                                + text);
                    }
                }
                case "minAge", "maxAge" -> {
                    int age = Values.wholeNumber(field, text);
                    if (age < 0 || age > 120) {
                        throw new IllegalArgumentException(at + ": must be an age from 0 to 120, got " + text);
                    }
                }
                case "activeMatches", "maxMatches", "waitlist" -> {
                    if (Values.wholeNumber(field, text) < 0) {
                        throw new IllegalArgumentException(at + ": must be 0 or more, got " + text);
                    }
                }
                case "servesRegion", "feeFree" -> Values.yesNo(field, text);
                case "languages" -> {
                    if (Values.languages(text).isEmpty()) {
                        throw new IllegalArgumentException(at + ": names no language (ISO 639 codes or names, e.g. "
                                + "\"en; fr\"), got \"" + text + "\"");
                    }
                }
                default -> {
                    if (value instanceof Map || value instanceof java.util.Collection) {
                        throw new IllegalArgumentException(at + ": must be text");
                    }
                    if (text.length() > 1000) {
                        throw new IllegalArgumentException(at + ": at most 1,000 characters");
                    }
                }
            }
        } catch (RecordProblem problem) {
            throw new IllegalArgumentException(at + ": " + problem.getMessage());
        }
    }

    public char delimiter() {
        return delimiter.charAt(0);
    }

    public String encoding() {
        return encoding;
    }

    /**
     * The source column of a field: the mapped one (which must exist), else the first usual name that does;
     * null when the source has none.
     *
     * @throws IllegalArgumentException when a mapped column is not in the source
     */
    public String column(String field, Predicate<String> exists) {
        String mapped = fields.get(field);
        if (mapped != null) {
            if (!exists.test(mapped)) {
                throw new IllegalArgumentException("mapping.fields." + field + ": the source has no column \""
                        + mapped + "\"");
            }
            return mapped;
        }
        for (String usual : USUAL_NAMES.get(field)) {
            if (exists.test(usual)) {
                return usual;
            }
        }
        return null;
    }

    /** The constant default of a field, as text; null when none. */
    public String defaultValue(String field) {
        return defaultTexts.get(field);
    }
}
