package ca.cmp.hub.partnership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.security.Role;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Limit;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class PartnershipController {

    enum PartnershipStatus { ACTIVE, RETIRED }

    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;
    private final PartnershipRegions regions;
    private final PartnershipProperties properties;

    PartnershipController(PartnershipRepository partnerships, OrganizationRepository organizations,
            PartnershipRegions regions, PartnershipProperties properties, BatchLoaderRegistry loaders) {
        this.partnerships = partnerships;
        this.organizations = organizations;
        this.regions = regions;
        this.properties = properties;
        loaders.<ChildOrganizations, List<Organization>>forName("childOrganizations")
                .registerMappedBatchLoader((keys, env) -> loadOrganizations(keys));
    }

    /** Active and retired (requests to join are not partnerships until approved). */
    @QueryMapping
    List<Partnership> partnerships(@Argument List<PartnershipStatus> status) {
        List<Partnership> all = partnerships.findAllByOrderByName();
        if (status == null || status.isEmpty()) {
            return all;
        }
        return all.stream().filter(p -> status.contains(status(p))).toList();
    }

    @QueryMapping
    Partnership partnership(@Argument String id) {
        return partnerships.findById(Ids.parse("id", id)).orElse(null);
    }

    static final int MAX_ORGANIZATIONS = 1000;

    @QueryMapping
    List<Organization> organizations(@Argument String partnership, @Argument Integer first) {
        Limit limit = Limit.of(page(first));
        return partnership == null ? organizations.findAllByOrderByName(limit)
                : organizations.findByPartnershipIdOrderByName(Ids.parse("partnership", partnership), limit);
    }

    /**
     * Partnerships other subgraphs refer to, by id or by slug, in the order asked, null where the key is malformed
     * or unknown: a statement per key kind.
     */
    @EntityMapping(name = "Partnership")
    List<Partnership> partnershipEntities(List<Map<String, Object>> representations) {
        List<UUID> ids = representations.stream().map(r -> Ids.orNull(r.get("id"))).toList();
        List<String> slugs = representations.stream().map(r -> r.get("id") == null && r.get("slug") instanceof String s
                ? s : null).toList();
        Map<UUID, Partnership> byId = byId(ids.stream().filter(Objects::nonNull).toList());
        List<String> wanted = slugs.stream().filter(Objects::nonNull).distinct().toList();
        Map<String, Partnership> bySlug = wanted.isEmpty() ? Map.of() : partnerships.findBySlugIn(wanted).stream()
                .collect(Collectors.toMap(Partnership::getSlug, Function.identity()));
        List<Partnership> found = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            found.add(ids.get(i) != null ? byId.get(ids.get(i)) : slugs.get(i) != null ? bySlug.get(slugs.get(i)) : null);
        }
        return found;
    }

    /** Organizations other subgraphs refer to, in the order asked, null where the id is malformed or unknown. */
    @EntityMapping(name = "Organization")
    List<Organization> organizationEntities(List<Map<String, Object>> representations) {
        List<UUID> ids = representations.stream().map(r -> Ids.orNull(r.get("id"))).toList();
        Map<UUID, Organization> byId = organizations.findAllById(ids.stream().filter(Objects::nonNull).distinct()
                .toList()).stream().collect(Collectors.toMap(Organization::getId, Function.identity()));
        List<Organization> found = new ArrayList<>(ids.size());
        ids.forEach(id -> found.add(id == null ? null : byId.get(id)));
        return found;
    }

    @SchemaMapping(typeName = "Partnership")
    PartnershipStatus status(Partnership partnership) {
        return partnership.isRetired() ? PartnershipStatus.RETIRED : PartnershipStatus.ACTIVE;
    }

    /** Private: the partnership's own partners and coordinators, and administrators; null for anyone else. */
    @SchemaMapping(typeName = "Partnership")
    String contact(Partnership partnership) {
        CurrentCaller caller = CurrentCaller.get();
        boolean own = partnership.getSlug().equals(caller.partnership())
                && (caller.roles().contains(Role.PARTNER) || caller.roles().contains(Role.COORDINATOR));
        return caller.roles().contains(Role.ADMIN) || own ? partnership.getContact() : null;
    }

    @BatchMapping(typeName = "Partnership")
    Map<Partnership, Object> outline(List<Partnership> parents) {
        Map<UUID, String> outlines = regions.outlines(parents.stream().filter(p -> p.getRegion() != null)
                .map(Partnership::getId).toList(), properties.outlineMetres());
        return parents.stream().filter(p -> outlines.containsKey(p.getId())).collect(Collectors.toMap(
                Function.identity(), p -> outlines.get(p.getId()), (a, b) -> a));
    }

    @BatchMapping(typeName = "Partnership")
    Map<Partnership, Object> regionAreaKm2(List<Partnership> parents) {
        Map<UUID, Double> areas = regions.areasKm2(parents.stream().filter(p -> p.getRegion() != null)
                .map(Partnership::getId).toList());
        return parents.stream().filter(p -> areas.containsKey(p.getId())).collect(Collectors.toMap(
                Function.identity(), p -> areas.get(p.getId()), (a, b) -> a));
    }

    /** A partnership's organizations as a field asks for them. */
    record ChildOrganizations(UUID partnership, int first) {
    }

    @SchemaMapping(typeName = "Partnership", field = "organizations")
    CompletableFuture<List<Organization>> organizations(Partnership parent, @Argument Integer first,
            DataLoader<ChildOrganizations, List<Organization>> childOrganizations) {
        return childOrganizations.load(new ChildOrganizations(parent.getId(), page(first)));
    }

    private Mono<Map<ChildOrganizations, List<Organization>>> loadOrganizations(Set<ChildOrganizations> keys) {
        return Mono.fromCallable(() -> {
            Map<UUID, List<Organization>> byPartnership = organizations
                    .findByPartnershipIdInOrderByName(keys.stream().map(ChildOrganizations::partnership).distinct()
                            .toList()).stream()
                    .collect(Collectors.groupingBy(Organization::getPartnershipId));
            return keys.stream().collect(Collectors.toMap(Function.identity(), k -> {
                List<Organization> all = byPartnership.getOrDefault(k.partnership(), List.of());
                return all.subList(0, Math.min(k.first(), all.size()));
            }));
        });
    }

    private static int page(Integer first) {
        int size = first == null ? 100 : first;
        if (size < 1 || size > MAX_ORGANIZATIONS) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_ORGANIZATIONS + ", got " + size);
        }
        return size;
    }

    @BatchMapping(typeName = "Organization", field = "partnership")
    Map<Organization, Partnership> partnershipOfOrganization(List<Organization> children) {
        Map<UUID, Partnership> byId = byId(children.stream().map(Organization::getPartnershipId).toList());
        return children.stream().collect(Collectors.toMap(Function.identity(), o -> byId.get(o.getPartnershipId())));
    }

    @BatchMapping(typeName = "JoinRequest", field = "partnership")
    Map<JoinRequest, Partnership> partnershipOfJoinRequest(List<JoinRequest> children) {
        Map<UUID, Partnership> byId = byId(children.stream().map(JoinRequest::getPartnershipId)
                .filter(java.util.Objects::nonNull).toList());
        return children.stream().filter(r -> r.getPartnershipId() != null).collect(Collectors.toMap(
                Function.identity(), r -> byId.get(r.getPartnershipId()), (a, b) -> a));
    }

    private Map<UUID, Partnership> byId(Collection<UUID> ids) {
        return partnerships.findAllById(ids.stream().distinct().toList()).stream()
                .collect(Collectors.toMap(Partnership::getId, Function.identity()));
    }
}
