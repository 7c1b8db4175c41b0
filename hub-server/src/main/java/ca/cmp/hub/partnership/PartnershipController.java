package ca.cmp.hub.partnership;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.graphql.Ids;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class PartnershipController {

    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;

    PartnershipController(PartnershipRepository partnerships, OrganizationRepository organizations) {
        this.partnerships = partnerships;
        this.organizations = organizations;
    }

    @QueryMapping
    List<Partnership> partnerships() {
        return partnerships.findAllByOrderByName();
    }

    @QueryMapping
    Partnership partnership(@Argument String id) {
        return partnerships.findById(Ids.parse("id", id)).orElse(null);
    }

    @QueryMapping
    List<Organization> organizations(@Argument String partnership) {
        return partnership == null ? organizations.findAllByOrderByName()
                : organizations.findByPartnershipIdOrderByName(Ids.parse("partnership", partnership));
    }

    @BatchMapping
    Map<Partnership, List<Organization>> organizations(List<Partnership> parents) {
        Map<UUID, List<Organization>> byPartnership = organizations
                .findByPartnershipIdInOrderByName(parents.stream().map(Partnership::getId).toList()).stream()
                .collect(Collectors.groupingBy(Organization::getPartnershipId));
        return parents.stream().collect(Collectors.toMap(Function.identity(),
                p -> byPartnership.getOrDefault(p.getId(), List.of())));
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
