package ca.cmp.hub.connector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real GraphQL server that is not a hub: a youth-services directory with a schema of its own (services with a
 * key, a title, an eligibility, a place, languages as "tongues"), executed by graphql-java over the JDK's HTTP
 * server, paging by cursor Relay-style. It issues bearer tokens by the client-credentials grant at /token and
 * answers /graphql only with one. {@link #failFromPage} makes its {@code services} field fail from that page on, as
 * a source's backend failing mid-read would: the answer then carries GraphQL {@code errors}.
 */
final class ServiceDirectoryServer implements AutoCloseable {

    static final String SDL = """
            type Query {
              services(region: String!, first: Int = 10, after: String): ServiceConnection!
            }
            type ServiceConnection { edges: [ServiceEdge!]! pageInfo: PageInfo! }
            type ServiceEdge { cursor: String! node: Service! }
            type PageInfo { endCursor: String hasNextPage: Boolean! }
            type Service {
              key: ID!
              title: String!
              summary: String
              eligibility: Eligibility
              tongues: [String!]!
              place: Place
              state: String
              provider: Provider
            }
            type Eligibility { youngest: Int oldest: Int }
            type Place { street: String town: String province: String postcode: String lat: Float lon: Float }
            type Provider { ref: ID! label: String }
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The services as served, in order; tests may change them between reads. */
    final List<Map<String, Object>> services = new CopyOnWriteArrayList<>();
    /** Each GraphQL request's variables, in order. */
    final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** From this page on (1-based) the services field fails; 0: never. */
    volatile int failFromPage;

    private final String clientId;
    private final String clientSecret;
    private final String token = "tok-" + java.util.UUID.randomUUID();
    private final GraphQL graphQl;
    private final HttpServer server;

    ServiceDirectoryServer(String clientId, String clientSecret) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        DataFetcher<Map<String, Object>> page = env -> {
            if (!"ON".equals(env.getArgument("region"))) {
                throw new IllegalArgumentException("this directory serves region ON only");
            }
            int first = env.getArgumentOrDefault("first", 10);
            String after = env.getArgument("after");
            int start = after == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(after),
                    StandardCharsets.UTF_8).substring("offset:".length())) + 1;
            if (failFromPage > 0 && start / Math.max(1, first) + 1 >= failFromPage) {
                throw new IllegalStateException("the directory's index is being rebuilt; try again later");
            }
            List<Map<String, Object>> edges = new ArrayList<>();
            for (int i = start; i < Math.min(services.size(), start + first); i++) {
                edges.add(Map.of("cursor", cursor(i), "node", services.get(i)));
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("endCursor", edges.isEmpty() ? after : cursor(start + edges.size() - 1));
            info.put("hasNextPage", start + edges.size() < services.size());
            return Map.of("edges", edges, "pageInfo", info);
        };
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL),
                RuntimeWiring.newRuntimeWiring().type("Query", t -> t.dataFetcher("services", page)).build());
        this.graphQl = GraphQL.newGraphQL(schema).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/graphql", this::graphQl);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String cursor(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private void token(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        exchange.getRequestBody().readAllBytes();
        if (!"POST".equals(exchange.getRequestMethod())
                || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        tokensIssued.incrementAndGet();
        answer(exchange, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300));
    }

    @SuppressWarnings("unchecked")
    private void graphQl(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, Map.of("errors", List.of(Map.of("message", "unauthorized"))));
            return;
        }
        Map<String, Object> variables = body.path("variables").isObject()
                ? JSON.convertValue(body.path("variables"), Map.class) : Map.of();
        requests.add(variables);
        ExecutionResult result = graphQl.execute(ExecutionInput.newExecutionInput()
                .query(body.path("query").asString()).variables(variables).build());
        answer(exchange, 200, result.toSpecification());
    }

    private static void answer(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
