package ca.cmp.hub.program;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.partnership.Organization;
import ca.cmp.hub.partnership.OrganizationRepository;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import graphql.GraphQLContext;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

@Controller
class ProgramController {

    static final int MAX_PAGE = 100;

    private final ProgramSearch search;
    private final PartnershipRepository partnerships;
    private final OrganizationRepository organizations;

    ProgramController(ProgramSearch search, PartnershipRepository partnerships, OrganizationRepository organizations,
            BatchLoaderRegistry loaders) {
        this.search = search;
        this.partnerships = partnerships;
        this.organizations = organizations;
        loaders.<ChildPrograms, List<ProgramRow>>forName("childPrograms")
                .registerMappedBatchLoader((keys, env) -> loadChildPrograms(keys));
    }

    /** Sites that a page read along with its programs, by program id, for the {@code sites} batch to reuse. */
    static final String PAGE_SITES = ProgramController.class.getName() + ".pageSites";

    @QueryMapping
    ProgramConnection programs(DataFetchingEnvironment env) {
        // The arguments as graphql-java coerced them (see ProgramCriteria.Input.of).
        Integer first = env.getArgument("first");
        String after = env.getArgument("after");
        int size = first == null ? 20 : first;
        if (size < 1 || size > MAX_PAGE) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_PAGE + ", got " + size);
        }
        ProgramCriteria criteria = ProgramCriteria.from(ProgramCriteria.Input.of(env.getArgument("filter")));
        ProgramCursor.Order order = criteria.order();
        boolean byDistance = order == ProgramCursor.Order.DISTANCE;
        ProgramCursor cursor = ProgramCursor.decode(after, order);
        // A page whose sites are asked for reads them in its own statement (the sites batch then needs none).
        boolean withSites = selects(env.getFragmentsByName(), env.getMergedField().getFields(), 0,
                "programs", "edges", "node", "sites");
        ProgramSearch.Page page = search.page(criteria, cursor, size + 1, withSites);
        if (withSites) {
            env.getGraphQlContext().<Map<UUID, List<SiteRow>>>computeIfAbsent(PAGE_SITES,
                    k -> new ConcurrentHashMap<>()).putAll(page.sites());
        }
        List<ProgramSearch.Hit> hits = page.hits();
        boolean more = hits.size() > size;
        List<ProgramConnection.Edge> edges = new ArrayList<>(Math.min(size, hits.size()));
        for (ProgramSearch.Hit hit : more ? hits.subList(0, size) : hits) {
            ProgramRow p = hit.program();
            ProgramCursor position = switch (order) {
                case DISTANCE -> ProgramCursor.byDistance(hit.distanceMetres(), p.id());
                case CHANGE -> ProgramCursor.byChange(p.lastChangedAt(), p.id());
                case NAME -> ProgramCursor.byName(p.name(), p.id());
            };
            edges.add(new ProgramConnection.Edge(position.encode(), p,
                    byDistance ? hit.distanceMetres() / 1000 : null));
        }
        String start = edges.isEmpty() ? null : edges.get(0).cursor();
        String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
        return new ProgramConnection(edges, new ProgramConnection.PageInfo(more, cursor != null, start, end), criteria);
    }

    @SchemaMapping
    long totalCount(ProgramConnection connection) {
        return search.count(connection.criteria());
    }

    @QueryMapping
    ProgramRow program(@Argument String id) {
        return search.findByIds(List.of(Ids.parse("id", id))).stream().findFirst().orElse(null);
    }

    /**
     * Programs other subgraphs refer to, in the order asked, null where the id is malformed or unknown (the
     * federation guard names those representations): one statement for all.
     */
    @EntityMapping(name = "Program")
    List<ProgramRow> programEntities(List<Map<String, Object>> representations) {
        List<UUID> ids = representations.stream().map(r -> Ids.orNull(r.get("id"))).toList();
        Map<UUID, ProgramRow> byId = search.findByIds(ids.stream().filter(java.util.Objects::nonNull).distinct()
                .toList()).stream().collect(Collectors.toMap(ProgramRow::id, Function.identity()));
        List<ProgramRow> found = new ArrayList<>(ids.size());
        ids.forEach(id -> found.add(id == null ? null : byId.get(id)));
        return found;
    }

    @BatchMapping(typeName = "Program")
    Map<ProgramRow, List<SiteRow>> sites(List<ProgramRow> programs, GraphQLContext context) {
        Map<UUID, List<SiteRow>> read = context.getOrDefault(PAGE_SITES, Map.of());
        List<UUID> missing = programs.stream().map(ProgramRow::id).filter(id -> !read.containsKey(id))
                .distinct().toList();
        Map<UUID, List<SiteRow>> loaded = missing.isEmpty() ? Map.of() : search.sitesOf(missing);
        return programs.stream().collect(Collectors.toMap(Function.identity(),
                p -> read.getOrDefault(p.id(), loaded.getOrDefault(p.id(), List.of())), (a, b) -> a));
    }

    @BatchMapping(typeName = "Partnership")
    Map<Partnership, Integer> activeProgramCount(List<Partnership> parents) {
        Map<UUID, Integer> counts = search.activeCounts(parents.stream().map(Partnership::getId).toList());
        return parents.stream().collect(Collectors.toMap(Function.identity(),
                p -> counts.getOrDefault(p.getId(), 0), (a, b) -> a));
    }

    @BatchMapping(typeName = "Program")
    Map<ProgramRow, Partnership> partnership(List<ProgramRow> programs) {
        Map<UUID, Partnership> byId = partnerships.findAllById(ids(programs, ProgramRow::partnershipId)).stream()
                .collect(Collectors.toMap(Partnership::getId, Function.identity()));
        return programs.stream().collect(Collectors.toMap(Function.identity(),
                p -> byId.get(p.partnershipId()), (a, b) -> a));
    }

    @BatchMapping(typeName = "Program")
    Map<ProgramRow, Organization> organization(List<ProgramRow> programs) {
        Map<UUID, Organization> byId = organizations.findAllById(ids(programs, ProgramRow::organizationId)).stream()
                .collect(Collectors.toMap(Organization::getId, Function.identity()));
        // Programs without an organization are left out of the map and resolve to null.
        return programs.stream().filter(p -> byId.containsKey(p.organizationId()))
                .collect(Collectors.toMap(Function.identity(), p -> byId.get(p.organizationId()), (a, b) -> a));
    }

    @BatchMapping(typeName = "ServiceArea", field = "geometry")
    Map<ProgramRow.ServiceArea, String> serviceAreaGeometry(List<ProgramRow.ServiceArea> areas) {
        Map<UUID, String> byProgram = search.serviceAreasGeoJson(ids(areas, ProgramRow.ServiceArea::programId));
        return areas.stream().filter(a -> byProgram.get(a.programId()) != null)
                .collect(Collectors.toMap(Function.identity(), a -> byProgram.get(a.programId()), (a, b) -> a));
    }

    /** A parent's programs as a field asks for them: which parent (by its column) and how many. */
    record ChildPrograms(String column, UUID parent, int first) {
    }

    @SchemaMapping(typeName = "Partnership", field = "programs")
    CompletableFuture<List<ProgramRow>> programsOfPartnership(Partnership parent, @Argument Integer first,
            DataLoader<ChildPrograms, List<ProgramRow>> childPrograms) {
        return childPrograms.load(new ChildPrograms("partnership_id", parent.getId(), childPage(first)));
    }

    @SchemaMapping(typeName = "Organization", field = "programs")
    CompletableFuture<List<ProgramRow>> programsOfOrganization(Organization parent, @Argument Integer first,
            DataLoader<ChildPrograms, List<ProgramRow>> childPrograms) {
        return childPrograms.load(new ChildPrograms("organization_id", parent.getId(), childPage(first)));
    }

    /** One statement per column and page size for all parents of a request (the batch of a @BatchMapping). */
    private Mono<Map<ChildPrograms, List<ProgramRow>>> loadChildPrograms(Set<ChildPrograms> keys) {
        return Mono.fromCallable(() -> {
            Map<ChildPrograms, List<ProgramRow>> result = new HashMap<>();
            keys.stream().collect(Collectors.groupingBy(k -> k.column() + ":" + k.first())).values().forEach(group -> {
                ChildPrograms any = group.get(0);
                Map<UUID, List<ProgramRow>> byParent = search.activeBy(any.column(),
                        group.stream().map(ChildPrograms::parent).distinct().toList(), any.first());
                group.forEach(k -> result.put(k, byParent.getOrDefault(k.parent(), List.of())));
            });
            return result;
        });
    }

    static final int MAX_CHILD_PAGE = 500;

    private static int childPage(Integer first) {
        int size = first == null ? 100 : first;
        if (size < 1 || size > MAX_CHILD_PAGE) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_CHILD_PAGE + ", got " + size);
        }
        return size;
    }

    /**
     * Whether the fields select {@code path} (through fragments, ignoring {@code @skip}/{@code @include}: at worst
     * a page reads sites it is not asked for). Walks the document: graphql-java's selection set API builds the
     * whole normalized operation, which cost more than the page's statement.
     */
    static boolean selects(Map<String, FragmentDefinition> fragments, List<? extends Node> selections, int depth,
            String... path) {
        for (Node<?> selection : selections) {
            if (selection instanceof Field field) {
                if (field.getName().equals(path[depth]) && (depth == path.length - 1 || field.getSelectionSet() != null
                        && selects(fragments, field.getSelectionSet().getSelections(), depth + 1, path))) {
                    return true;
                }
            } else if (selection instanceof InlineFragment inline) {
                if (selects(fragments, inline.getSelectionSet().getSelections(), depth, path)) {
                    return true;
                }
            } else if (selection instanceof FragmentSpread spread) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                if (fragment != null && selects(fragments, fragment.getSelectionSet().getSelections(), depth, path)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> List<UUID> ids(List<T> items, Function<T, UUID> id) {
        return items.stream().map(id).filter(java.util.Objects::nonNull).distinct().toList();
    }
}
