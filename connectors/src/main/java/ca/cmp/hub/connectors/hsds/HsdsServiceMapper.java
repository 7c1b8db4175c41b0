package ca.cmp.hub.connectors.hsds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.connectors.source.Values;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps one fully nested HSDS 3.0 service (as {@code /services/{id}} returns it, or as assembled from a tabular
 * package) to a program:
 * <ul>
 * <li>{@code minimum_age}/{@code maximum_age} → ages served; {@code languages[].code} (or name) → languages;</li>
 * <li>{@code status}: active → ACTIVE, inactive and "temporarily closed" → PAUSED, defunct → CLOSED;</li>
 * <li>{@code service_capacity[]} (HSDS 3.1; {@code maximum}, {@code available}) → maximum and active matches;</li>
 * <li>{@code service_areas[]} with {@code extent_type} geojson and a polygon extent → the service area;</li>
 * <li>{@code cost_options[]} with an amount above 0 → not fee-free; {@code fees_description} → fee text;</li>
 * <li>{@code service_at_locations[].location} → sites (physical address first; a location without coordinates is
 * placed by its postal code's FSA, marked so); only virtual locations → VIRTUAL, both kinds → HYBRID;</li>
 * <li>{@code attributes[].taxonomy_term} whose code or name names a mentoring model or setting → those;</li>
 * <li>{@code organization} (or the organization looked up by {@code organization_id}) → the provider.</li>
 * </ul>
 * Schedules, contacts and required documents are not part of the hub's model and are left out. The mapping's
 * defaults fill what HSDS cannot say (a service radius, a model).
 */
final class HsdsServiceMapper {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final FieldMapping mapping;
    private final FsaCentroids postalCodes;

    HsdsServiceMapper(FieldMapping mapping, FsaCentroids postalCodes) {
        this.mapping = mapping;
        this.postalCodes = postalCodes;
    }

    /**
     * @param organization the service's organization when it is not nested in it, or null
     */
    SourceProgram map(JsonNode service, JsonNode organization) throws RecordProblem {
        String id = text(service, "id");
        if (id == null) {
            throw new RecordProblem("id", "is required");
        }
        List<SourceProgram.Site> sites = new ArrayList<>();
        boolean physical = false;
        boolean virtual = false;
        JsonNode links = service.path("service_at_locations");
        for (int i = 0; i < links.size(); i++) {
            JsonNode location = links.get(i).path("location");
            String type = text(location, "location_type");
            if (type != null && type.equalsIgnoreCase("virtual")) {
                virtual = true;
                continue;
            }
            physical = true;
            sites.add(site(location, "service_at_locations[" + i + "].location"));
        }
        DeliveryMode mode = physical && virtual ? DeliveryMode.HYBRID : virtual ? DeliveryMode.VIRTUAL
                : choiceDefault("mode", DeliveryMode.class);
        MentoringModel model = null;
        ProgramSetting setting = null;
        for (JsonNode attribute : service.path("attributes")) {
            JsonNode term = attribute.path("taxonomy_term");
            for (String word : new String[] {text(term, "code"), text(term, "name"), text(attribute, "value")}) {
                if (word == null) {
                    continue;
                }
                model = model != null ? model : modelNamed(word);
                setting = setting != null ? setting : settingNamed(word);
            }
        }
        model = model != null ? model : choiceDefault("model", MentoringModel.class);
        setting = setting != null ? setting : choiceDefault("setting", ProgramSetting.class);
        Integer max = null;
        Integer active = null;
        for (JsonNode capacity : service.path("service_capacity")) {
            Integer maximum = integer(capacity, "maximum", "service_capacity.maximum");
            Integer available = integer(capacity, "available", "service_capacity.available");
            if (maximum != null) {
                max = maximum;
                active = available == null ? null : Math.max(0, maximum - available);
                break;
            }
        }
        Boolean feeFree = null;
        for (JsonNode cost : service.path("cost_options")) {
            JsonNode amount = cost.path("amount");
            if (amount.isNumber()) {
                feeFree = (feeFree == null || feeFree) && amount.asDouble() <= 0;
            }
        }
        Map<String, Object> area = null;
        for (JsonNode serviceArea : service.path("service_areas")) {
            if ("geojson".equalsIgnoreCase(text(serviceArea, "extent_type"))) {
                area = polygon(serviceArea.path("extent"));
                if (area != null) {
                    break;
                }
            }
        }
        List<String> languages = new ArrayList<>();
        for (JsonNode language : service.path("languages")) {
            String code = text(language, "code");
            for (String c : Values.languages(code != null ? code : text(language, "name"))) {
                if (!languages.contains(c)) {
                    languages.add(c);
                }
            }
        }
        if (languages.isEmpty()) {
            languages.addAll(Values.languages(mapping.defaultValue("languages")));
        }
        JsonNode org = service.path("organization").isObject() ? service.path("organization") : organization;
        SourceProgram.Organization provider = org == null || text(org, "id") == null ? null
                : new SourceProgram.Organization(text(org, "id"), text(org, "name"), text(org, "website"),
                        text(org, "email"), null);
        Double radius = Values.decimal("mapping.defaults.radiusKm", mapping.defaultValue("radiusKm"));
        boolean servesRegion = area == null && mode == DeliveryMode.VIRTUAL;
        return new SourceProgram(id, text(service, "name"), text(service, "description"),
                integer(service, "minimum_age", "minimum_age"), integer(service, "maximum_age", "maximum_age"), model,
                setting, languages, mode, area != null || servesRegion ? null : radius, area,
                servesRegion ? Boolean.TRUE : null, active, max, null, feeFree, text(service, "fees_description"),
                status(text(service, "status")), provider, sites);
    }

    private SourceProgram.Site site(JsonNode location, String path) throws RecordProblem {
        JsonNode address = null;
        for (JsonNode a : location.path("addresses")) {
            if (address == null || "physical".equalsIgnoreCase(text(a, "address_type"))) {
                address = a;
            }
        }
        String postal = address == null ? null : text(address, "postal_code");
        Double lat = decimal(location, "latitude", path + ".latitude");
        Double lon = decimal(location, "longitude", path + ".longitude");
        LocationPrecision precision = LocationPrecision.EXACT;
        if (lat == null || lon == null) {
            var centroid = postalCodes.locate(postal).orElseThrow(() -> new RecordProblem(path + ".latitude",
                    "no coordinates, and " + (postal == null ? "no postal code to place it by"
                            : "the postal code \"" + postal + "\" is not a known Canadian forward sortation area")));
            lat = centroid.latitude();
            lon = centroid.longitude();
            precision = LocationPrecision.POSTAL_FSA;
        }
        String street = address == null ? null : text(address, "address_1");
        String province = address == null ? null : text(address, "state_province");
        return new SourceProgram.Site(text(location, "id"), text(location, "name"), street,
                address == null ? null : text(address, "city"), province, postal, lat, lon, precision);
    }

    private <E extends Enum<E>> E choiceDefault(String field, Class<E> type) throws RecordProblem {
        return Values.choice("mapping.defaults." + field, mapping.defaultValue(field), type);
    }

    static MentoringModel modelNamed(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.contains("one-to-one") || w.contains("one to one") || w.contains("1:1") || w.contains("one-on-one")) {
            return MentoringModel.ONE_TO_ONE;
        }
        if (w.contains("e-mentoring") || w.contains("ementoring") || w.contains("online mentoring")) {
            return MentoringModel.E_MENTORING;
        }
        if (w.contains("peer mentoring")) {
            return MentoringModel.PEER;
        }
        if (w.contains("group mentoring")) {
            return MentoringModel.GROUP;
        }
        if (w.contains("team mentoring")) {
            return MentoringModel.TEAM;
        }
        return null;
    }

    static ProgramSetting settingNamed(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.contains("school-based") || w.contains("school based")) {
            return ProgramSetting.SCHOOL;
        }
        if (w.contains("community-based") || w.contains("community based")) {
            return ProgramSetting.COMMUNITY;
        }
        if (w.contains("workplace")) {
            return ProgramSetting.WORKPLACE;
        }
        // Only the bare word: "online mentoring" names a model (e-mentoring), not where a program meets.
        if (w.equals("online")) {
            return ProgramSetting.ONLINE;
        }
        return null;
    }

    private static ProgramStatus status(String status) throws RecordProblem {
        if (status == null) {
            return ProgramStatus.ACTIVE;
        }
        switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "active":
                return ProgramStatus.ACTIVE;
            case "inactive", "temporarily closed", "temporarily_closed":
                return ProgramStatus.PAUSED;
            case "defunct":
                return ProgramStatus.CLOSED;
            default:
                throw new RecordProblem("status", "\"" + status
                        + "\" is not an HSDS status (active, inactive, defunct, temporarily closed)");
        }
    }

    /** A GeoJSON Polygon/MultiPolygon from an extent given as an object or as JSON text; null otherwise. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> polygon(JsonNode extent) {
        JsonNode geometry = extent;
        if (extent.isString()) {
            try {
                geometry = JSON.readTree(extent.asString());
            } catch (RuntimeException notJson) {
                return null;
            }
        }
        String type = geometry == null ? "" : geometry.path("type").asString("");
        if (type.equals("Feature")) {
            geometry = geometry.path("geometry");
            type = geometry.path("type").asString("");
        }
        if (!type.equals("Polygon") && !type.equals("MultiPolygon")) {
            return null;
        }
        return JSON.convertValue(geometry, Map.class);
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.isString() ? v.asString() : v.toString();
        return s.isBlank() ? null : s.strip();
    }

    private static Integer integer(JsonNode node, String field, String path) throws RecordProblem {
        return Values.wholeNumber(path, text(node, field));
    }

    private static Double decimal(JsonNode node, String field, String path) throws RecordProblem {
        return Values.decimal(path, text(node, field));
    }
}
