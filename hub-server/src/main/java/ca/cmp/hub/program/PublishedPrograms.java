package ca.cmp.hub.program;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.ServiceAreaKind;
import org.springframework.stereotype.Component;

/**
 * The programs the hub republishes in open standards (the HSDS API): ACTIVE, PAUSED and CLOSED programs of
 * partnerships that are not retired. RETIRED programs have vanished from their source, so they vanish from what
 * the hub publishes too (a consumer's full read retires them). Pages are numbered (offset), by name then id, and
 * cost a fixed number of statements whatever their size: the programs, then their sites in one batch.
 */
@Component
public class PublishedPrograms {

    private static final ProgramCriteria PUBLISHED = new ProgramCriteria(null, null, null, null, null, List.of(),
            List.of(), List.of(), List.of(), List.of(),
            List.of(ProgramStatus.ACTIVE, ProgramStatus.PAUSED, ProgramStatus.CLOSED));

    private final ProgramSearch search;

    PublishedPrograms(ProgramSearch search) {
        this.search = search;
    }

    /**
     * A numbered page of programs with their sites.
     *
     * @param total    how many programs the whole listing has
     * @param sites    each program's sites by name then id, keyed by program id (absent: none)
     */
    public record Page(long total, List<ProgramRow> programs, Map<UUID, List<SiteRow>> sites) {
    }

    /**
     * @param changedSince   only programs whose last change is at or after it; null for all
     * @param organizationId only this organization's programs; null for all
     * @param offset         programs to skip, at least 0
     * @param limit          at most this many programs, at least 1
     */
    public Page page(Instant changedSince, UUID organizationId, long offset, int limit) {
        ProgramSearch.Narrowing narrowing = new ProgramSearch.Narrowing(changedSince, organizationId, null);
        long total = search.count(PUBLISHED, narrowing);
        List<ProgramRow> programs = offset >= total ? List.of()
                : search.numberedPage(PUBLISHED, narrowing, offset, limit);
        return new Page(total, programs, sitesOf(programs));
    }

    /** The program with its sites if it is published. */
    public Optional<Page> one(UUID id) {
        List<ProgramRow> programs = search.numberedPage(PUBLISHED,
                new ProgramSearch.Narrowing(null, null, List.of(id)), 0, 1);
        return programs.isEmpty() ? Optional.empty() : Optional.of(new Page(1, programs, sitesOf(programs)));
    }

    /** Published programs among these ids, with their sites (in name order; unknown or unpublished ids left out). */
    public Page among(Collection<UUID> ids) {
        List<ProgramRow> programs = ids.isEmpty() ? List.of()
                : search.numberedPage(PUBLISHED, new ProgramSearch.Narrowing(null, null, ids), 0, ids.size());
        return new Page(programs.size(), programs, sitesOf(programs));
    }

    /** The published program with this site, with its sites. */
    public Optional<Page> atSite(UUID siteId) {
        return search.programOfSite(siteId).flatMap(this::one);
    }

    /** A published program at one of its sites, or online ({@code siteId} null: VIRTUAL and HYBRID programs). */
    public record Link(UUID programId, UUID siteId) {
    }

    /** A numbered page of links between published programs and their sites (see {@link ProgramSearch#links}). */
    public record LinkPage(long total, List<Link> links) {
    }

    /** @param changedSince only the links of programs whose last change is at or after it; null for all */
    public LinkPage links(Instant changedSince, UUID organizationId, long offset, int limit) {
        ProgramSearch.Narrowing narrowing = new ProgramSearch.Narrowing(changedSince, organizationId, null);
        long total = search.countLinks(PUBLISHED, narrowing);
        List<Link> links = offset >= total ? List.of() : search.links(PUBLISHED, narrowing, offset, limit).stream()
                .map(l -> new Link(l.programId(), l.siteId())).toList();
        return new LinkPage(total, links);
    }

    /** A numbered page of the ids of organizations with a published program, by organization name then id. */
    public record OrganizationPage(long total, List<UUID> ids) {
    }

    public OrganizationPage organizations(long offset, int limit) {
        long total = search.countOrganizationsWith(PUBLISHED);
        return new OrganizationPage(total, offset >= total ? List.of()
                : search.organizationsWith(PUBLISHED, offset, limit));
    }

    /**
     * The own service areas of the POLYGON programs among these, as GeoJSON text (6 decimals), by program id: one
     * statement, none when there are no such programs. RADIUS and REGION areas are derived, not published.
     */
    public Map<UUID, String> polygonAreas(List<ProgramRow> programs) {
        List<UUID> ids = programs.stream().filter(p -> p.serviceAreaKind() == ServiceAreaKind.POLYGON)
                .map(ProgramRow::id).toList();
        return ids.isEmpty() ? Map.of() : search.serviceAreasGeoJson(ids);
    }

    private Map<UUID, List<SiteRow>> sitesOf(List<ProgramRow> programs) {
        return programs.isEmpty() ? Map.of() : search.sitesOf(programs.stream().map(ProgramRow::id).toList());
    }
}
