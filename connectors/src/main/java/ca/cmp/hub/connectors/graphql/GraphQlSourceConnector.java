package ca.cmp.hub.connectors.graphql;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import ca.cmp.hub.connectors.Connector;
import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FlatRecordReader;
import ca.cmp.hub.connectors.source.RecordProblem;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.model.SourceProgram;
import tools.jackson.databind.JsonNode;

/**
 * A GraphQL API that is not a Mentoring Network Hub, read through a {@link GraphQlSourceMapping}: its query
 * POSTed to the connector's location page by page (the last page's end cursor in the cursor variable), each
 * page's records found at the mapping's records path and read as flat records, one program and one site each,
 * with the CSV's field vocabulary and checks ({@link FlatRecordReader}; a record without coordinates is placed
 * by its postal code). The source cannot be asked what changed, so every read is a full snapshot: what it no
 * longer lists is retired. A record that cannot be read is a problem naming it ({@code records[12] (id x)}, its
 * position over all pages) and the path at fault; the others are read. GraphQL {@code errors} in any answer, a
 * records path that does not reach a list, or paging that does not advance fail the whole read. Requests go
 * through {@link UpstreamGraphQl}: the SSRF guard, the optional client credentials, redaction.
 */
public final class GraphQlSourceConnector implements Connector {

    private static final int MAX_PAGES = 100_000;
    /** The most characters of an upstream value a message quotes (an id, a cursor, a record that is no object). */
    private static final int LABEL_ID = 60;

    private final URI endpoint;
    private final GraphQlSourceMapping mapping;
    private final ClientCredentials credentials;
    private final SourceFetcher fetcher;
    private final FsaCentroids postalCodes;

    /** @param credentials the source's client, or null to read anonymously */
    public GraphQlSourceConnector(String location, GraphQlSourceMapping mapping, ClientCredentials credentials,
            SourceFetcher fetcher, FsaCentroids postalCodes) {
        this.endpoint = URI.create(location.strip());
        this.mapping = mapping;
        this.credentials = credentials;
        this.fetcher = fetcher;
        this.postalCodes = postalCodes;
    }

    /** @param changedSince ignored: the source is read in full */
    @Override
    public SourceBatch read(Instant changedSince, IntConsumer progress) throws ConnectorException {
        UpstreamGraphQl upstream = new UpstreamGraphQl(endpoint, credentials, fetcher);
        List<SourceProgram> programs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<SourceProblem> problems = new ArrayList<>();
        Map<String, ResponsePath> paths = new HashMap<>();
        FlatRecordReader reader = null;
        String after = null;
        java.util.Set<String> cursors = new java.util.HashSet<>();
        int position = 0;
        for (int page = 1; ; page++) {
            if (page > MAX_PAGES) {
                throw new ConnectorException(endpoint + " still had pages after " + MAX_PAGES, false);
            }
            String what = "page " + page;
            JsonNode answer = upstream.ask(mapping.query(), variables(after), what);
            List<JsonNode> records = mapping.records().records(answer);
            if (records == null) {
                throw new ConnectorException(endpoint + " " + what + ": the answer has no list of records at "
                        + mapping.records() + " (the mapping's records path)", false);
            }
            if (reader == null && !records.isEmpty()) {
                reader = reader(records, paths, what);
            }
            for (JsonNode node : records) {
                FlatRecordReader.Record record = path -> value(node, paths.computeIfAbsent(path,
                        p -> ResponsePath.parse(p, false)));
                String sourceId = node.isObject() ? reader.sourceId(record) : null;
                String label = "records[" + position + "]" + (sourceId == null ? "" : " (id "
                        + shown(sourceId) + ")");
                try {
                    if (!node.isObject()) {
                        throw new RecordProblem(mapping.records().toString(), "must be an object, got " + shown(node.toString()));
                    }
                    programs.add(reader.read(record, null, null));
                    positions.add(position);
                    labels.add(label + ": ");
                } catch (RecordProblem p) {
                    problems.add(new SourceProblem(position, sourceId, label + ": " + p.field(), p.getMessage()));
                }
                position++;
            }
            progress.accept(position);
            String next = next(answer, records.isEmpty(), what);
            if (next == null) {
                break;
            }
            if (!cursors.add(next)) {
                // The page before's cursor again, or an older one: a source that cycles would never end.
                throw new ConnectorException(endpoint + " " + what + " gave a cursor already given ("
                        + shown(next) + "): its paging does not advance; is the cursor variable $"
                        + mapping.cursorVariable() + " used in the query?", false);
            }
            after = next;
        }
        return new SourceBatch(programs, positions, labels, problems, true);
    }

    private Map<String, Object> variables(String after) {
        Map<String, Object> variables = new HashMap<>(mapping.variables());
        if (mapping.cursorVariable() != null) {
            variables.put(mapping.cursorVariable(), after);
        }
        if (mapping.pageSizeVariable() != null) {
            variables.put(mapping.pageSizeVariable(), mapping.pageSize());
        }
        return variables;
    }

    /** The cursor of the next page, or null when this one was the last. */
    private String next(JsonNode answer, boolean empty, String what) throws ConnectorException {
        if (mapping.endCursor() == null) {
            return null;
        }
        if (mapping.hasNextPage() != null) {
            JsonNode more = mapping.hasNextPage().at(answer);
            if (more == null || !more.isBoolean()) {
                throw new ConnectorException(endpoint + " " + what + ": " + mapping.hasNextPage() + " (the mapping's "
                        + "hasNextPage) is " + (more == null ? "not in the answer" : "not true or false: " + more),
                        false);
            }
            if (!more.asBoolean()) {
                return null;
            }
        } else if (empty) {
            return null;
        }
        JsonNode cursor = mapping.endCursor().at(answer);
        if (cursor == null || cursor.isContainer()) {
            if (mapping.hasNextPage() != null) {
                throw new ConnectorException(endpoint + " " + what + " says it has a next page but gives no cursor "
                        + "at " + mapping.endCursor() + " (the mapping's endCursor)", false);
            }
            return null;
        }
        return cursor.isString() ? cursor.asString() : cursor.toString();
    }

    /** The reader of the source's records, its fields resolved against the first page that has records. */
    private FlatRecordReader reader(List<JsonNode> records, Map<String, ResponsePath> paths, String what)
            throws ConnectorException {
        try {
            return new FlatRecordReader(mapping.fields(), path -> {
                ResponsePath parsed = paths.computeIfAbsent(path, p -> ResponsePath.parse(p, false));
                return records.stream().anyMatch(parsed::reaches);
            }, postalCodes);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(endpoint + " " + what + ": the records do not fit the mapping: "
                    + e.getMessage().replace("the source has no column", "no record has the path"), false, e);
        }
    }

    /** A record's value at a path, as text; lists (of languages, say) joined with semicolons. */
    private static String value(JsonNode record, ResponsePath path) {
        JsonNode value = path.at(record);
        if (value == null) {
            return null;
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.isValueNode() ? v.asString() : v.toString()));
            return String.join(";", parts);
        }
        return value.isValueNode() ? value.asString() : value.toString();
    }

    private static String shown(String upstream) {
        return upstream.length() > LABEL_ID ? upstream.substring(0, LABEL_ID) + "…" : upstream;
    }
}
