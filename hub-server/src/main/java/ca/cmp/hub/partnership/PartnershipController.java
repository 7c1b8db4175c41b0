package ca.cmp.hub.partnership;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Limit;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import reactor.core.publisher.Mono;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class PartnershipController {

    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;

    PartnershipController(PartnershipRepository partnerships, OrganizationRepository organizations,
            BatchLoaderRegistry loaders) {
        this.partnerships = partnerships;
        this.organizations = organizations;
        loaders.<ChildOrganizations, List<Organization>>forName("childOrganizations")
                .registerMappedBatchLoader((keys, env) -> loadOrganizations(keys));
    }

    @QueryMapping
    List<Partnership> partnerships() {
        return partnerships.findAllByOrderByName();
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

    private Map<UUID, Partnership> byId(Collection<UUID> ids) {
        return partnerships.findAllById(ids.stream().distinct().toList()).stream()
                .collect(Collectors.toMap(Partnership::getId, Function.identity()));
    }
}
