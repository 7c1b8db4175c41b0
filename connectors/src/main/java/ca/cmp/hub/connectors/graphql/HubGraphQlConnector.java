package ca.cmp.hub.connectors.graphql;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.model.SourceProgram;
import tools.jackson.databind.JsonNode;

/**
 * Pulls another Mentoring Network Hub through its GraphQL API: {@code programs} page by page with its cursor
 * (100 a page, within the upstream's default cost limit), POSTed to the connector's location (the upstream's
 * {@code /graphql}). A full read lists the upstream's ACTIVE, PAUSED and CLOSED programs of partnerships not
 * retired, so what it no longer lists is retired here; an incremental read asks for {@code changedSince} (the hub's
 * watermark less its overlap) with every status, and the upstream's RETIRED programs come back as
 * {@link SourceBatch#retired()}. Service areas other than a radius are fetched for the page's programs that have
 * one, in one {@code _entities} request. Each program keeps the chain of where it came from in its source id:
 * {@code <upstream partnership slug>:<its source id there>} (which, for a program the upstream itself pulled from
 * a hub, holds that hub's chain in turn). Every request goes through the {@link SourceFetcher}; with credentials,
 * a bearer token from the upstream's token endpoint ({@link UpstreamToken}) authorises it, fetched again once if
 * the upstream refuses it. Any page that fails fails the whole read.
 */
public final class HubGraphQlConnector implements Connector {

    static final int PAGE = 100;
    private static final int MAX_PAGES = 100_000;
    private static final List<String> LISTED = List.of("ACTIVE", "PAUSED", "CLOSED");
    private static final List<String> EVERY_STATUS = List.of("ACTIVE", "PAUSED", "CLOSED", "RETIRED");

    static final String PROGRAMS = """
            query HubPull($filter: ProgramFilter, $first: Int, $after: String) {
              programs(filter: $filter, first: $first, after: $after) {
                pageInfo { hasNextPage endCursor }
                edges { node {
                  id name description ages { min max } model setting languages mode
                  serviceArea { kind radiusKm }
                  capacity { activeMatches maximum waitlist }
                  fees { free description }
                  status
                  provenance { sourceId }
                  partnership { slug }
                  organization { id name website }
                  sites { name address city province postalCode latitude longitude precision }
                } }
              }
            }""";

    static final String AREAS = """
            query HubPullAreas($representations: [_Any!]!) {
              _entities(representations: $representations) { ... on Program { id serviceArea { geometry } } }
            }""";

    private final URI endpoint;
    private final SourceFetcher fetcher;
    private final ClientCredentials credentials;
    private final GraphQlProgramMapper mapper = new GraphQlProgramMapper();

    /** @param credentials the upstream client, or null to read anonymously */
    public HubGraphQlConnector(String location, ClientCredentials credentials, SourceFetcher fetcher) {
        this.endpoint = URI.create(location.strip());
        this.fetcher = fetcher;
        this.credentials = credentials;
    }

    @Override
    public SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException {
        UpstreamGraphQl upstream = new UpstreamGraphQl(endpoint, credentials, fetcher);
        Map<String, Object> filter = new LinkedHashMap<>();
        if (changedSince == null) {
            filter.put("status", LISTED);
        } else {
            filter.put("status", EVERY_STATUS);
            filter.put("changedSince", changedSince.toString());
        }
        List<SourceProgram> programs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<SourceProblem> problems = new ArrayList<>();
        List<String> retired = new ArrayList<>();
        String after = null;
        int position = 0;
        for (int page = 1; page <= MAX_PAGES; page++) {
            Map<String, Object> variables = new HashMap<>();
            variables.put("filter", filter);
            variables.put("first", PAGE);
            variables.put("after", after);
            JsonNode connection = query(upstream, PROGRAMS, variables, "page " + page).path("programs");
            JsonNode edges = connection.path("edges");
            if (!edges.isArray()) {
                throw new ConnectorException(endpoint + " page " + page + " has no programs.edges: is it a "
                        + "Mentoring Network Hub's GraphQL endpoint?", false);
            }
            Map<String, JsonNode> areas = areas(upstream, edges, page);
            for (JsonNode edge : edges) {
                JsonNode node = edge.path("node");
                String upstreamId = GraphQlProgramMapper.text(node, "id");
                String label = "programs[" + position + "]" + (upstreamId == null ? "" : " (id " + upstreamId + ")");
                String sourceId = null;
                try {
                    sourceId = GraphQlProgramMapper.sourceId(node);
                    if ("RETIRED".equals(GraphQlProgramMapper.text(node, "status"))) {
                        retired.add(sourceId);
                    } else {
                        programs.add(mapper.map(node, sourceId, areas.get(upstreamId)));
                        positions.add(position);
                        labels.add(label + ": ");
                    }
                } catch (RecordProblem p) {
                    problems.add(new SourceProblem(position, sourceId, label + "." + p.field(), p.getMessage()));
                }
                position++;
            }
            progress.accept(position);
            JsonNode info = connection.path("pageInfo");
            after = GraphQlProgramMapper.text(info, "endCursor");
            if (!info.path("hasNextPage").asBoolean(false) || edges.isEmpty() || after == null) {
                break;
            }
        }
        return new SourceBatch(programs, positions, labels, problems, changedSince == null, retired);
    }

    /** The service areas of the page's programs that have one other than a radius, by upstream id. */
    private Map<String, JsonNode> areas(UpstreamGraphQl upstream, JsonNode edges, int page) throws ConnectorException {
        List<Map<String, Object>> representations = new ArrayList<>();
        for (JsonNode edge : edges) {
            JsonNode node = edge.path("node");
            String kind = GraphQlProgramMapper.text(node.path("serviceArea"), "kind");
            if (kind != null && !kind.equals("RADIUS") && GraphQlProgramMapper.text(node, "id") != null) {
                representations.add(Map.of("__typename", "Program", "id", GraphQlProgramMapper.text(node, "id")));
            }
        }
        Map<String, JsonNode> byId = new HashMap<>();
        if (representations.isEmpty()) {
            return byId;
        }
        JsonNode entities = query(upstream, AREAS, Map.of("representations", representations),
                "page " + page + " (service areas)").path("_entities");
        for (JsonNode entity : entities) {
            String id = GraphQlProgramMapper.text(entity, "id");
            if (id != null) {
                byId.put(id, entity.path("serviceArea").path("geometry"));
            }
        }
        return byId;
    }

    /** One request's {@code data}; an answer with errors fails the read. */
    private static JsonNode query(UpstreamGraphQl upstream, String document, Map<String, Object> variables,
            String what) throws ConnectorException {
        return upstream.ask(document, variables, what).path("data");
    }
}
