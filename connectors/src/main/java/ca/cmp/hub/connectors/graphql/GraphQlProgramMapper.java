package ca.cmp.hub.connectors.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps one upstream hub's {@code Program} (as {@link HubGraphQlConnector#PROGRAMS} selects it) to a program of
 * this hub, field for field: the two hubs share one vocabulary. Its organization is keyed by the upstream's
 * organization id; its sites keep no source id (the upstream renumbers the sites of a program it rewrites, which
 * would make an unchanged program look changed). A service area other than a radius comes as its geometry: a
 * REGION program keeps the upstream's region as its polygon (this hub's partnership is not the upstream's), or,
 * where the upstream has no region to give, serves its partnership's region here.
 */
final class GraphQlProgramMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_SOURCE_ID = 200;

    /** {@code <upstream partnership slug>:<upstream source id>}: unique upstream, and the provenance chain. */
    static String sourceId(JsonNode node) throws RecordProblem {
        String slug = text(node.path("partnership"), "slug");
        String upstream = text(node.path("provenance"), "sourceId");
        if (slug == null) {
            throw new RecordProblem("partnership.slug", "is required");
        }
        if (upstream == null) {
            throw new RecordProblem("provenance.sourceId", "is required");
        }
        String chained = slug + ":" + upstream;
        if (chained.length() > MAX_SOURCE_ID) {
            throw new RecordProblem("provenance.sourceId", "with its partnership (\"" + slug + ":\") it is "
                    + chained.length() + " characters; a source id here has at most " + MAX_SOURCE_ID);
        }
        return chained;
    }

    /** @param geometry the program's service area geometry, when it is not a radius (null otherwise) */
    @SuppressWarnings("unchecked")
    SourceProgram map(JsonNode node, String sourceId, JsonNode geometry) throws RecordProblem {
        JsonNode area = node.path("serviceArea");
        String kind = text(area, "kind");
        Double radius = null;
        Map<String, Object> polygon = null;
        Boolean servesRegion = null;
        if ("RADIUS".equals(kind) || kind == null) {
            radius = decimal(area, "radiusKm", "serviceArea.radiusKm");
        } else if (geometry != null && geometry.isObject()) {
            polygon = JSON.convertValue(geometry, Map.class);
        } else if ("REGION".equals(kind)) {
            servesRegion = true;
        } else {
            throw new RecordProblem("serviceArea.geometry", "a " + kind + " service area came without its geometry");
        }
        List<String> languages = new ArrayList<>();
        node.path("languages").forEach(l -> languages.add(l.asString()));
        JsonNode ages = node.path("ages");
        JsonNode capacity = node.path("capacity");
        JsonNode fees = node.path("fees");
        JsonNode org = node.path("organization");
        SourceProgram.Organization organization = org.isObject() && text(org, "id") != null
                ? new SourceProgram.Organization(text(org, "id"), text(org, "name"), text(org, "website"), null, null)
                : null;
        List<SourceProgram.Site> sites = new ArrayList<>();
        JsonNode siteNodes = node.path("sites");
        for (int i = 0; i < siteNodes.size(); i++) {
            JsonNode s = siteNodes.get(i);
            String path = "sites[" + i + "]";
            sites.add(new SourceProgram.Site(null, text(s, "name"), text(s, "address"), text(s, "city"),
                    text(s, "province"), text(s, "postalCode"), decimal(s, "latitude", path + ".latitude"),
                    decimal(s, "longitude", path + ".longitude"),
                    choice(s, "precision", path + ".precision", LocationPrecision.class)));
        }
        return new SourceProgram(sourceId, text(node, "name"), text(node, "description"),
                whole(ages, "min", "ages.min"), whole(ages, "max", "ages.max"),
                choice(node, "model", "model", MentoringModel.class),
                choice(node, "setting", "setting", ProgramSetting.class), languages,
                choice(node, "mode", "mode", DeliveryMode.class), radius, polygon, servesRegion,
                whole(capacity, "activeMatches", "capacity.activeMatches"),
                whole(capacity, "maximum", "capacity.maximum"), whole(capacity, "waitlist", "capacity.waitlist"),
                bool(fees, "free"), text(fees, "description"),
                choice(node, "status", "status", ProgramStatus.class), organization, sites);
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }

    private static Double decimal(JsonNode node, String field, String path) throws RecordProblem {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new RecordProblem(path, "must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static Integer whole(JsonNode node, String field, String path) throws RecordProblem {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new RecordProblem(path, "must be a whole number, got " + v);
        }
        return v.asInt();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isBoolean() ? null : v.asBoolean();
    }

    /** An enum value of the shared vocabulary; one this hub does not know (a newer upstream's) is a problem. */
    private static <E extends Enum<E>> E choice(JsonNode node, String field, String path, Class<E> type)
            throws RecordProblem {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new RecordProblem(path, "\"" + value + "\" is not a " + type.getSimpleName() + " this hub knows");
        }
    }
}
