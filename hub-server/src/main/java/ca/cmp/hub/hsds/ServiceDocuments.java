package ca.cmp.hub.hsds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.program.ProgramRow;
import ca.cmp.hub.program.SiteRow;

/**
 * Programs as HSDS 3.0 documents: the inverse of the HSDS connector's mapping (its {@code HsdsServiceMapper}), so
 * that the hub's own connector reads a program back as it was. Public fields only: an organization's email and
 * phone are private contact fields and never appear, nor does anything of a partnership but what its programs say.
 *
 * <p>Ids: a program's id is its service's; a site's id names its location, that location's address and the
 * service-at-location linking them (a site belongs to one program); a VIRTUAL or HYBRID program's online location
 * and its link carry the program's id. Other ids (languages, attributes, cost options, capacity) are name-based
 * UUIDs of the program's id, stable across reads. Null values are left out, never written as null.
 */
final class ServiceDocuments {

    private ServiceDocuments() {
    }

    /**
     * A service. {@code full}: with its locations, languages, attributes, cost options, capacity and area (as
     * {@code /services/{id}} answers), else its one-to-one fields and organization (a list's item).
     *
     * @param sites        the program's sites, by name then id
     * @param organization its organization, or null
     * @param areaGeoJson  its own service area polygon as GeoJSON text (POLYGON programs), or null
     */
    static Map<String, Object> service(ProgramRow program, List<SiteRow> sites, Organization organization,
            String areaGeoJson, boolean full) {
        Map<String, Object> service = new LinkedHashMap<>();
        String id = program.id().toString();
        service.put("id", id);
        if (organization != null) {
            service.put("organization_id", organization.getId().toString());
        }
        service.put("name", program.name());
        put(service, "description", program.description());
        service.put("status", status(program.status()));
        put(service, "fees_description", program.feeDescription());
        put(service, "minimum_age", program.minAge());
        put(service, "maximum_age", program.maxAge());
        if (program.minAge() != null || program.maxAge() != null) {
            service.put("eligibility_description", ages(program.minAge(), program.maxAge()));
        }
        put(service, "last_modified", program.lastChangedAt() == null ? null : program.lastChangedAt().toString());
        if (organization != null) {
            service.put("organization", organization(organization));
        }
        if (!full) {
            return service;
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (SiteRow site : sites) {
            links.add(link(program, site, false));
        }
        if (program.mode() == DeliveryMode.VIRTUAL || program.mode() == DeliveryMode.HYBRID) {
            links.add(link(program, null, false));
        }
        service.put("service_at_locations", links);
        List<Map<String, Object>> languages = new ArrayList<>();
        for (String code : program.languages()) {
            Map<String, Object> language = new LinkedHashMap<>();
            language.put("id", derived(program, "language:" + code));
            language.put("service_id", id);
            String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
            put(language, "name", name.isBlank() || name.equals(code) ? null : name);
            language.put("code", code);
            languages.add(language);
        }
        service.put("languages", languages);
        List<Map<String, Object>> attributes = new ArrayList<>();
        if (program.model() != null) {
            attributes.add(attribute(program, MentoringTaxonomy.of(program.model())));
        }
        if (program.setting() != null) {
            attributes.add(attribute(program, MentoringTaxonomy.of(program.setting())));
        }
        service.put("attributes", attributes);
        List<Map<String, Object>> costs = new ArrayList<>();
        if (program.feeFree() != null) {
            Map<String, Object> cost = new LinkedHashMap<>();
            cost.put("id", derived(program, "cost"));
            cost.put("service_id", id);
            if (program.feeFree()) {
                // The connector reads any amount above 0 as "not free"; an unstated amount says nothing.
                cost.put("option", "Free");
                cost.put("currency", "CAD");
                cost.put("amount", 0);
            } else {
                cost.put("option", "Fees apply");
                put(cost, "amount_description", program.feeDescription());
            }
            costs.add(cost);
        }
        service.put("cost_options", costs);
        if (program.maxMatches() != null) {
            // HSDS 3.1's service_capacity (3.0 allows the extra field): what the hub's connector reads capacity from.
            Map<String, Object> capacity = new LinkedHashMap<>();
            capacity.put("id", derived(program, "capacity"));
            capacity.put("service_id", id);
            capacity.put("unit", Map.of("name", "mentoring matches"));
            capacity.put("maximum", program.maxMatches());
            put(capacity, "available", program.capacity().available());
            service.put("service_capacity", List.of(capacity));
        }
        if (areaGeoJson != null) {
            Map<String, Object> area = new LinkedHashMap<>();
            area.put("id", derived(program, "service_area"));
            area.put("service_id", id);
            area.put("name", "Area served");
            area.put("extent", areaGeoJson);
            area.put("extent_type", "geojson");
            service.put("service_areas", List.of(area));
        }
        return service;
    }

    /**
     * A service-at-location: the program at a site, or online ({@code site} null). {@code withService}: with the
     * service's one-to-one fields (as {@code /service_at_locations} answers).
     */
    static Map<String, Object> link(ProgramRow program, SiteRow site, boolean withService) {
        Map<String, Object> link = new LinkedHashMap<>();
        String id = site == null ? program.id().toString() : site.id().toString();
        link.put("id", id);
        link.put("service_id", program.id().toString());
        link.put("location_id", id);
        link.put("location", site == null ? online(program) : location(site));
        if (withService) {
            link.put("service", service(program, List.of(), null, null, false));
        }
        return link;
    }

    /**
     * A site as a physical location. A site placed by its postal code's area (POSTAL_FSA) has no coordinates of
     * its own, so none are published: readers place it by its postal code, as the hub did.
     */
    static Map<String, Object> location(SiteRow site) {
        Map<String, Object> location = new LinkedHashMap<>();
        String id = site.id().toString();
        location.put("id", id);
        location.put("location_type", "physical");
        put(location, "name", site.name());
        if (site.precision() != LocationPrecision.POSTAL_FSA) {
            location.put("latitude", site.latitude());
            location.put("longitude", site.longitude());
        }
        if (site.address() != null || site.city() != null || site.province() != null || site.postalCode() != null) {
            // HSDS requires every part of an address; a part the hub does not know is written empty.
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("id", id);
            address.put("location_id", id);
            address.put("address_1", orEmpty(site.address()));
            address.put("city", orEmpty(site.city()));
            address.put("state_province", orEmpty(site.province()));
            address.put("postal_code", orEmpty(site.postalCode()));
            address.put("country", "CA");
            address.put("address_type", "physical");
            location.put("addresses", List.of(address));
        }
        return location;
    }

    private static Map<String, Object> online(ProgramRow program) {
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("id", program.id().toString());
        location.put("location_type", "virtual");
        location.put("name", "Online");
        return location;
    }

    /** An organization's public fields (its list form): id, name, website; never its email or phone. */
    static Map<String, Object> organization(Organization organization) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", organization.getId().toString());
        document.put("name", organization.getName());
        // Required by HSDS; the hub keeps no description of organizations.
        document.put("description", "");
        String website = organization.getWebsite();
        if (website != null && website.toLowerCase(Locale.ROOT).matches("^https?://\\S+$")) {
            document.put("website", website);
        }
        return document;
    }

    private static Map<String, Object> attribute(ProgramRow program, MentoringTaxonomy.Term term) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("id", derived(program, "attribute:" + term.code()));
        attribute.put("link_id", program.id().toString());
        attribute.put("link_type", "service");
        attribute.put("link_entity", "service");
        attribute.put("taxonomy_term_id", term.id().toString());
        attribute.put("value", term.name());
        attribute.put("taxonomy_term", MentoringTaxonomy.document(term));
        return attribute;
    }

    /** HSDS's statuses: PAUSED is "inactive" (the connector reads it and "temporarily closed" back as PAUSED). */
    static String status(ProgramStatus status) {
        return switch (status) {
            case ACTIVE -> "active";
            case PAUSED -> "inactive";
            case CLOSED, RETIRED -> "defunct";
        };
    }

    private static String ages(Integer min, Integer max) {
        if (min != null && max != null) {
            return "Ages " + min + " to " + max;
        }
        return min != null ? "Ages " + min + " and up" : "Ages up to " + max;
    }

    private static String derived(ProgramRow program, String part) {
        return MentoringTaxonomy.id(program.id() + ":" + part).toString();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static void put(Map<String, Object> document, String field, Object value) {
        if (value != null) {
            document.put(field, value);
        }
    }

    /** The id of a document, as the path names it; null when it is not a UUID (no such document). */
    static UUID idOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notUuid) {
            return null;
        }
    }
}
