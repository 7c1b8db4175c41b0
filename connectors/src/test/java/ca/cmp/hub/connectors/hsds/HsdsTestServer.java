package ca.cmp.hub.connectors.hsds;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.cmp.hub.connectors.OpenDataFiles;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP server speaking the HSDS 3.0 API over real data: the 13 Toronto youth agencies of the open-data
 * bundle as HSDS services (each with its location, address, languages and organization), plus the official
 * HSDS example service. Paged like the spec ({@code total_pages}, {@code last_page}, {@code contents}); faults
 * can be switched on: 5xx answers, a delay, a body cut short, a listing without nested locations.
 */
public final class HsdsTestServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern POSTAL = Pattern.compile("([A-Z]\\d[A-Z])\\s?(\\d[A-Z]\\d)");

    public final List<URI> requests = new CopyOnWriteArrayList<>();
    /** Answer the next n requests with 503. */
    public final AtomicInteger failNext = new AtomicInteger();
    /** Answer every request with 500 while set. */
    public volatile boolean broken;
    /** Wait this long before answering. */
    public volatile long delayMillis;
    /** Send only the first half of this page's JSON (0: never). */
    public volatile int truncatePage;
    /** List services without their nested locations (as servers that ignore full=true do). */
    public volatile boolean shallowListing;
    /** Services as served; tests may change them. */
    public final List<ObjectNode> services = new CopyOnWriteArrayList<>();
    public volatile int perPage = 5;
    /** Called with each request before it is answered (a test may change the services meanwhile). */
    public volatile java.util.function.Consumer<URI> onRequest = uri -> { };

    private final HttpServer server;

    public HsdsTestServer() throws IOException {
        services.addAll(torontoAgencies());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hsds";
    }

    /** The 13 agencies as HSDS 3.0 services (ids agency-1 … agency-13). */
    public static List<ObjectNode> torontoAgencies() throws IOException {
        JsonNode places = JSON.readTree(Files.readString(OpenDataFiles.file("places/toronto_youth_agencies.geojson")));
        List<ObjectNode> out = new ArrayList<>();
        int n = 0;
        for (JsonNode feature : places.path("features")) {
            n++;
            JsonNode p = feature.path("properties");
            String address = p.path("ORGANIZATI").asString("");
            Matcher postal = POSTAL.matcher(address);
            ObjectNode service = JSON.createObjectNode();
            service.put("id", "agency-" + n);
            service.put("name", "Youth mentoring at " + p.path("AGENCY_NAM").asString());
            service.put("description", "Synthetic mentoring service at a real Toronto youth agency (211 Toronto)");
            service.put("status", "active");
            service.put("minimum_age", 12);
            service.put("maximum_age", 24);
            service.put("last_modified", "2025-0" + (1 + n % 9) + "-15T10:00:00Z");
            ObjectNode org = service.putObject("organization");
            org.put("id", "org-" + n);
            org.put("name", p.path("AGENCY_NAM").asString());
            org.put("email", p.path("EMAIL").asString(null));
            ArrayNode languages = service.putArray("languages");
            languages.addObject().put("name", "English").put("code", "en");
            ArrayNode links = service.putArray("service_at_locations");
            ObjectNode location = links.addObject().put("id", "sal-" + n).putObject("location");
            location.put("id", "loc-" + n);
            location.put("location_type", "physical");
            location.put("name", p.path("AGENCY_NAM").asString());
            location.put("latitude", feature.path("geometry").path("coordinates").get(1).asDouble());
            location.put("longitude", feature.path("geometry").path("coordinates").get(0).asDouble());
            ObjectNode addr = location.putArray("addresses").addObject();
            addr.put("address_1", address.split(",")[0]);
            addr.put("city", "Toronto");
            addr.put("state_province", "ON");
            addr.put("postal_code", postal.find() ? postal.group(1) + " " + postal.group(2) : null);
            addr.put("country", "CA");
            addr.put("address_type", "physical");
            if (n % 4 == 0) {
                service.putArray("service_capacity").addObject().put("maximum", 20).put("available", 5);
                service.putArray("attributes").addObject().putObject("taxonomy_term")
                        .put("name", "One-to-one mentoring");
            }
            out.add(service);
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        requests.add(uri);
        onRequest.accept(uri);
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (broken || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 503, "{\"error\": \"try later\"}", false);
            return;
        }
        Map<String, String> query = query(uri.getRawQuery());
        String path = uri.getPath();
        if (path.equals("/hsds/services")) {
            int page = Integer.parseInt(query.getOrDefault("page", "1"));
            int size = Math.min(perPage, Integer.parseInt(query.getOrDefault("per_page", "50")));
            List<ObjectNode> selected = new ArrayList<>();
            String after = query.get("modified_after");
            for (ObjectNode s : services) {
                if (after == null || s.path("last_modified").asString("").compareTo(after) > 0) {
                    selected.add(s);
                }
            }
            int totalPages = Math.max(1, (selected.size() + size - 1) / size);
            ObjectNode body = JSON.createObjectNode();
            body.put("total_items", selected.size());
            body.put("total_pages", totalPages);
            body.put("page_number", page);
            body.put("size", size);
            body.put("first_page", page == 1);
            body.put("last_page", page >= totalPages);
            ArrayNode contents = body.putArray("contents");
            for (int i = (page - 1) * size; i < Math.min(selected.size(), page * size); i++) {
                ObjectNode s = selected.get(i).deepCopy();
                if (shallowListing) {
                    s.remove("service_at_locations");
                }
                contents.add(s);
            }
            body.put("empty", contents.isEmpty());
            send(exchange, 200, JSON.writeValueAsString(body), page == truncatePage);
        } else if (path.startsWith("/hsds/services/")) {
            String id = path.substring("/hsds/services/".length());
            for (ObjectNode s : services) {
                if (s.path("id").asString().equals(id)) {
                    send(exchange, 200, JSON.writeValueAsString(s), false);
                    return;
                }
            }
            send(exchange, 404, "{}", false);
        } else {
            send(exchange, 404, "{}", false);
        }
    }

    private static void send(HttpExchange exchange, int status, String body, boolean truncate) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        // A cut-short page goes out chunked, so the stream ends cleanly after half the JSON: a malformed page.
        exchange.sendResponseHeaders(status, truncate ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes, 0, truncate ? bytes.length / 2 : bytes.length);
            out.flush();
        } catch (IOException cutShort) {
            // the server closing early on a truncated body is the point
        } finally {
            exchange.close();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
