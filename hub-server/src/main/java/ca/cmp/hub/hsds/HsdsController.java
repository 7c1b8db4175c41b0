package ca.cmp.hub.hsds;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.OrganizationRepository;
import ca.cmp.hub.program.ProgramRow;
import ca.cmp.hub.program.PublishedPrograms;
import ca.cmp.hub.program.SiteRow;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The hub as an HSDS 3.0 publisher (docs/hsds-publisher.md): the Open Referral API over the programs the hub
 * publishes ({@link PublishedPrograms}), read-only and open to anyone like the rest of the hub's public reads (the
 * security chain permits it; the rate limit applies as to GraphQL). Every page costs a fixed number of statements:
 * a count, the page's programs, their sites, their organizations (and the polygons of full services).
 */
@RestController
@RequestMapping(path = "/hsds", produces = MediaType.APPLICATION_JSON_VALUE)
class HsdsController {

    static final String OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";
    static final String PROFILE = "https://docs.openreferral.org/en/v3.0/";
    /** Services nested in one organization, at most (its first, by name). */
    static final int MAX_ORGANIZATION_SERVICES = 500;

    private final PublishedPrograms programs;
    private final OrganizationRepository organizations;

    HsdsController(PublishedPrograms programs, OrganizationRepository organizations) {
        this.programs = programs;
        this.organizations = organizations;
    }

    @GetMapping({"", "/"})
    Map<String, Object> root() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "3.0");
        root.put("profile", PROFILE);
        root.put("openapi_url", OPENAPI_URL);
        return root;
    }

    @GetMapping("/services")
    HsdsPage services(@RequestParam(required = false) Integer page,
            @RequestParam(name = "per_page", required = false) Integer perPage,
            @RequestParam(name = "modified_after", required = false) String modifiedAfter,
            @RequestParam(name = "organization_id", required = false) String organizationId,
            @RequestParam(required = false) Boolean full) {
        HsdsPage.Paging paging = HsdsPage.Paging.of(page, perPage);
        UUID organization = organizationId == null ? null : ServiceDocuments.idOrNull(organizationId);
        if (organizationId != null && organization == null) {
            return HsdsPage.of(0, paging, List.of());
        }
        PublishedPrograms.Page found = programs.page(instant(modifiedAfter), organization, paging.offset(),
                paging.perPage());
        return HsdsPage.of(found.total(), paging, services(found, Boolean.TRUE.equals(full)));
    }

    @GetMapping("/services/{id}")
    ResponseEntity<Map<String, Object>> service(@PathVariable String id) {
        UUID programId = ServiceDocuments.idOrNull(id);
        return (programId == null ? Optional.<PublishedPrograms.Page>empty() : programs.one(programId))
                .map(found -> ResponseEntity.ok(services(found, true).get(0)))
                .orElseGet(() -> notFound("service", id));
    }

    @GetMapping("/organizations")
    HsdsPage organizations(@RequestParam(required = false) Integer page,
            @RequestParam(name = "per_page", required = false) Integer perPage) {
        HsdsPage.Paging paging = HsdsPage.Paging.of(page, perPage);
        PublishedPrograms.OrganizationPage found = programs.organizations(paging.offset(), paging.perPage());
        Map<UUID, Organization> byId = organizationsById(found.ids());
        List<Map<String, Object>> contents = found.ids().stream().map(byId::get).filter(Objects::nonNull)
                .map(ServiceDocuments::organization).toList();
        return HsdsPage.of(found.total(), paging, contents);
    }

    /** An organization with its published services ({@code full_service}: each in full), if it has any. */
    @GetMapping("/organizations/{id}")
    ResponseEntity<Map<String, Object>> organization(@PathVariable String id,
            @RequestParam(name = "full_service", required = false) Boolean fullService) {
        UUID organizationId = ServiceDocuments.idOrNull(id);
        PublishedPrograms.Page found = organizationId == null ? null
                : programs.page(null, organizationId, 0, MAX_ORGANIZATION_SERVICES);
        if (found == null || found.programs().isEmpty()) {
            return notFound("organization", id);
        }
        Organization organization = organizations.findById(organizationId).orElse(null);
        if (organization == null) {
            return notFound("organization", id);
        }
        Map<String, Object> document = ServiceDocuments.organization(organization);
        document.put("services", services(found, Boolean.TRUE.equals(fullService)));
        return ResponseEntity.ok(document);
    }

    @GetMapping("/service_at_locations")
    HsdsPage serviceAtLocations(@RequestParam(required = false) Integer page,
            @RequestParam(name = "per_page", required = false) Integer perPage,
            @RequestParam(name = "modified_after", required = false) String modifiedAfter,
            @RequestParam(name = "organization_id", required = false) String organizationId) {
        HsdsPage.Paging paging = HsdsPage.Paging.of(page, perPage);
        UUID organization = organizationId == null ? null : ServiceDocuments.idOrNull(organizationId);
        if (organizationId != null && organization == null) {
            return HsdsPage.of(0, paging, List.of());
        }
        PublishedPrograms.LinkPage found = programs.links(instant(modifiedAfter), organization, paging.offset(),
                paging.perPage());
        PublishedPrograms.Page linked = programs.among(found.links().stream().map(PublishedPrograms.Link::programId)
                .distinct().toList());
        Map<UUID, ProgramRow> byId = linked.programs().stream()
                .collect(Collectors.toMap(ProgramRow::id, Function.identity()));
        List<Map<String, Object>> contents = new ArrayList<>(found.links().size());
        for (PublishedPrograms.Link link : found.links()) {
            ProgramRow program = byId.get(link.programId());
            SiteRow site = site(linked, link);
            // A program or site changed between the statements is left out rather than shown half.
            if (program != null && (link.siteId() == null || site != null)) {
                contents.add(ServiceDocuments.link(program, site, true));
            }
        }
        return HsdsPage.of(found.total(), paging, contents);
    }

    /** A site's service-at-location by the site's id, or a VIRTUAL or HYBRID program's online one by its id. */
    @GetMapping("/service_at_locations/{id}")
    ResponseEntity<Map<String, Object>> serviceAtLocation(@PathVariable String id) {
        UUID linkId = ServiceDocuments.idOrNull(id);
        if (linkId == null) {
            return notFound("service_at_location", id);
        }
        PublishedPrograms.Page online = programs.among(List.of(linkId));
        if (!online.programs().isEmpty()) {
            ProgramRow program = online.programs().get(0);
            return program.mode() == DeliveryMode.IN_PERSON ? notFound("service_at_location", id)
                    : ResponseEntity.ok(ServiceDocuments.link(program, null, true));
        }
        return programs.atSite(linkId)
                .map(found -> ResponseEntity.ok(ServiceDocuments.link(found.programs().get(0),
                        found.sites().values().stream().flatMap(List::stream).filter(s -> s.id().equals(linkId))
                                .findFirst().orElseThrow(), true)))
                .orElseGet(() -> notFound("service_at_location", id));
    }

    @GetMapping("/taxonomies")
    HsdsPage taxonomies(@RequestParam(required = false) Integer page,
            @RequestParam(name = "per_page", required = false) Integer perPage) {
        HsdsPage.Paging paging = HsdsPage.Paging.of(page, perPage);
        return HsdsPage.of(1, paging, paging.offset() == 0 ? List.of(MentoringTaxonomy.taxonomy()) : List.of());
    }

    @GetMapping("/taxonomies/{id}")
    ResponseEntity<Map<String, Object>> taxonomy(@PathVariable String id) {
        return MentoringTaxonomy.ID.equals(ServiceDocuments.idOrNull(id))
                ? ResponseEntity.ok(MentoringTaxonomy.taxonomy()) : notFound("taxonomy", id);
    }

    @GetMapping("/taxonomy_terms")
    HsdsPage taxonomyTerms(@RequestParam(required = false) Integer page,
            @RequestParam(name = "per_page", required = false) Integer perPage) {
        HsdsPage.Paging paging = HsdsPage.Paging.of(page, perPage);
        List<MentoringTaxonomy.Term> terms = MentoringTaxonomy.terms();
        List<Map<String, Object>> contents = terms.stream().skip(paging.offset()).limit(paging.perPage())
                .map(MentoringTaxonomy::document).toList();
        return HsdsPage.of(terms.size(), paging, contents);
    }

    @GetMapping("/taxonomy_terms/{id}")
    ResponseEntity<Map<String, Object>> taxonomyTerm(@PathVariable String id) {
        UUID termId = ServiceDocuments.idOrNull(id);
        return (termId == null ? Optional.<MentoringTaxonomy.Term>empty() : MentoringTaxonomy.term(termId))
                .map(t -> ResponseEntity.ok(MentoringTaxonomy.document(t))).orElseGet(() -> notFound("taxonomy_term", id));
    }

    /** {@code page=two}, {@code per_page=1e9} or {@code full=maybe}: named like the other bad parameters. */
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> mistyped(
            org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e) {
        String wanted = e.getRequiredType() == Boolean.class ? "true or false"
                : "per_page".equals(e.getName()) ? "a whole number, 1 or more (a page holds at most "
                        + HsdsPage.Paging.MAX_PER_PAGE + ")"
                : "a whole number from 1 to " + Integer.MAX_VALUE;
        String got = String.valueOf(e.getValue());
        got = got.length() > 100 ? got.substring(0, 100) + "…" : got;
        return invalid(new HsdsRequestException(e.getName(), "must be " + wanted + ", got \"" + got + "\""));
    }

    @ExceptionHandler(HsdsRequestException.class)
    ResponseEntity<Map<String, Object>> invalid(HsdsRequestException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "invalid_parameter", "parameter", e.parameter(), "message", e.getMessage()));
    }

    private List<Map<String, Object>> services(PublishedPrograms.Page page, boolean full) {
        Map<UUID, Organization> byId = organizationsById(page.programs().stream().map(ProgramRow::organizationId)
                .filter(Objects::nonNull).distinct().toList());
        Map<UUID, String> areas = full ? programs.polygonAreas(page.programs()) : Map.of();
        List<Map<String, Object>> services = new ArrayList<>(page.programs().size());
        for (ProgramRow program : page.programs()) {
            services.add(ServiceDocuments.service(program, page.sites().getOrDefault(program.id(), List.of()),
                    program.organizationId() == null ? null : byId.get(program.organizationId()),
                    areas.get(program.id()), full));
        }
        return services;
    }

    private Map<UUID, Organization> organizationsById(List<UUID> ids) {
        return ids.isEmpty() ? Map.of() : organizations.findAllById(ids).stream()
                .collect(Collectors.toMap(Organization::getId, Function.identity()));
    }

    private static SiteRow site(PublishedPrograms.Page page, PublishedPrograms.Link link) {
        if (link.siteId() == null) {
            return null;
        }
        return page.sites().getOrDefault(link.programId(), List.of()).stream()
                .filter(s -> s.id().equals(link.siteId())).findFirst().orElse(null);
    }

    /** {@code modified_after} as an instant: ISO 8601 with an offset or Z (null when absent). */
    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new HsdsRequestException("modified_after",
                    "must be an ISO 8601 date-time with an offset, e.g. 2026-11-25T14:03:00Z, got \"" + text + "\"");
        }
    }

    private static ResponseEntity<Map<String, Object>> notFound(String kind, String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "not_found", "message", "no published " + kind + " has the id \"" + id + "\""));
    }
}
