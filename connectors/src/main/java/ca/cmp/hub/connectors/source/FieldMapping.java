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
                if (!(e.getValue() instanceof String column) || column.isBlank()) {
                    throw new IllegalArgumentException("mapping.fields." + field + ": must be a column name");
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
