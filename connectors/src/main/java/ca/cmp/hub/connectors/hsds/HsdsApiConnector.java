package ca.cmp.hub.connectors.hsds;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.connectors.source.SourceText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pulls an Open Referral HSDS 3.0 API: {@code GET /services?full=true&page=P&per_page=N} page by page until the
 * last ({@code last_page}, {@code total_pages}, or an empty page), with {@code modified_after} for incremental
 * runs. Servers that ignore {@code full} and list services without their locations are asked for each service
 * in full ({@code /services/{id}}); services that name only an {@code organization_id} get their organization
 * from {@code /organizations} (read once per run, when the server offers it). Every page goes through the
 * {@link SourceFetcher}: guarded address, timeouts, size limit, retries with backoff for transient failures.
 * Any page that still fails fails the whole read, so a half-read feed never retires what it did not reach.
 */
public final class HsdsApiConnector implements Connector {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 100_000;

    private final String base;
    private final SourceFetcher fetcher;
    private final HsdsServiceMapper mapper;

    public HsdsApiConnector(String location, FieldMapping mapping, SourceFetcher fetcher, FsaCentroids postalCodes) {
        this.base = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        this.fetcher = fetcher;
        this.mapper = new HsdsServiceMapper(mapping, postalCodes);
    }

    @Override
    public SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException {
        List<JsonNode> services = new ArrayList<>();
        String filter = changedSince == null ? ""
                : "&modified_after=" + URLEncoder.encode(changedSince.toString(), StandardCharsets.UTF_8);
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode body = getJson("/services?full=true&page=" + page + "&per_page=" + PER_PAGE + filter);
            JsonNode contents = body.path("contents");
            if (!contents.isArray()) {
                throw new ConnectorException(base + "/services page " + page + " is not an HSDS page: it has no "
                        + "\"contents\" array", false);
            }
            contents.forEach(services::add);
            progress.accept(services.size());
            int totalPages = body.path("total_pages").asInt(0);
            if (contents.isEmpty() || body.path("last_page").asBoolean(false)
                    || totalPages > 0 && page >= totalPages) {
                break;
            }
        }
        Map<String, JsonNode> organizations = null;
        List<SourceProgram> programs = new ArrayList<>(services.size());
        List<Integer> positions = new ArrayList<>(services.size());
        List<String> labels = new ArrayList<>(services.size());
        List<SourceProblem> problems = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            JsonNode service = services.get(i);
            String id = HsdsServiceMapper.text(service, "id");
            String label = "services[" + i + "]" + (id == null ? "" : " (id " + id + ")");
            try {
                if (id != null && !service.has("service_at_locations")) {
                    service = getJson("/services/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                }
                JsonNode organization = null;
                String orgId = HsdsServiceMapper.text(service, "organization_id");
                if (!service.path("organization").isObject() && orgId != null) {
                    if (organizations == null) {
                        organizations = organizations();
                    }
                    organization = organizations.get(orgId);
                }
                programs.add(mapper.map(service, organization));
                positions.add(i);
                labels.add(label + ": ");
            } catch (RecordProblem p) {
                problems.add(new SourceProblem(i, id, label + "." + p.field(), p.getMessage()));
            }
        }
        return new SourceBatch(programs, positions, labels, problems, changedSince == null);
    }

    /** Organizations by id; empty when the server has no /organizations. */
    private Map<String, JsonNode> organizations() throws ConnectorException {
        Map<String, JsonNode> byId = new HashMap<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode body;
            try {
                body = getJson("/organizations?page=" + page + "&per_page=" + PER_PAGE);
            } catch (ConnectorException e) {
                if (page == 1 && !e.isTransient()) {
                    return byId;
                }
                throw e;
            }
            JsonNode contents = body.path("contents");
            contents.forEach(o -> byId.put(HsdsServiceMapper.text(o, "id"), o));
            if (!contents.isArray() || contents.isEmpty() || body.path("last_page").asBoolean(false)
                    || body.path("total_pages").asInt(0) > 0 && page >= body.path("total_pages").asInt(0)) {
                break;
            }
        }
        return byId;
    }

    private JsonNode getJson(String path) throws ConnectorException {
        URI uri = URI.create(base + path);
        String text = SourceText.utf8(fetcher.get(uri), uri.toString());
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw new ConnectorException(uri + " did not return valid JSON: " + e.getOriginalMessage(), false, e);
        }
    }
}
