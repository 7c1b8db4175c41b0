package ca.cmp.hub.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubHttp;
import ca.cmp.hub.support.HubOverHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A real Apollo gateway (@apollo/gateway, composed with @apollo/composition) in front of the hub and a tiny
 * matching-service subgraph (@apollo/subgraph) that extends Program: one query through the gateway spans both,
 * and the hub's rules hold for the gateway's callers. Node and npm are needed (the build's
 * install-native-services.sh installs them); the Node project is src/test/federation.
 */
@HubOverHttp
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationGatewayTest {

    static final Path PROJECT = Path.of("src/test/federation").toAbsolutePath();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final List<Process> processes = new ArrayList<>();
    Partnership partnership;
    List<String> programIds = new ArrayList<>();
    URI gateway;

    @BeforeAll
    void start() throws Exception {
        partnership = fixtures.partnership("Gateway test partnership");
        jdbc.update("UPDATE partnership SET contact = 'gateway-private@example.org' WHERE id = ?",
                partnership.getId());
        for (int i = 0; i < 3; i++) {
            programIds.add(fixtures.save(fixtures.program(partnership, "Gateway program " + i, 49.28 + i * 0.01,
                    -123.12, 8, 16, MentoringModel.GROUP, ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON,
                    List.of("en"))).getId().toString());
        }
        requireNode();
        npmCi();
        int matchingPort = freePort();
        int gatewayPort = freePort();
        start("matching", List.of("node", "matching.mjs", Integer.toString(matchingPort)), Map.of());
        String hubUrl = "http://127.0.0.1:" + port + "/graphql";
        start("gateway", List.of("node", "gateway.mjs", hubUrl, "http://127.0.0.1:" + matchingPort + "/",
                Integer.toString(gatewayPort)), Map.of("HUB_TOKEN", new HubHttp(port).token("planner")));
        gateway = URI.create("http://127.0.0.1:" + gatewayPort + "/");
    }

    @AfterAll
    void stop() {
        processes.forEach(Process::destroy);
    }

    static final String QUERY = """
            query($partnership: ID!) {
              programs(filter: {partnership: [$partnership]}, first: 10) {
                edges { node { id name openMentorSlots partnership { slug contact } } }
              }
            }""";

    @Test
    void aQuerySpansTheHubAndTheMatchingService() throws Exception {
        JsonNode body = throughGateway(null);
        assertThat(body.has("errors")).as(body.toString()).isFalse();
        List<JsonNode> nodes = new ArrayList<>();
        body.get("data").get("programs").get("edges").forEach(e -> nodes.add(e.get("node")));
        assertThat(nodes).extracting(n -> n.get("name").asString())
                .containsExactly("Gateway program 0", "Gateway program 1", "Gateway program 2");
        for (JsonNode node : nodes) {
            String id = node.get("id").asString();
            assertThat(programIds).contains(id);
            assertThat(node.get("openMentorSlots").asInt()).as("the matching service's field")
                    .isEqualTo(Integer.parseInt(id.substring(0, 2), 16) % 10);
            assertThat(node.get("partnership").get("slug").asString()).isEqualTo(partnership.getSlug());
        }
    }

    @Test
    void anAnonymousCallerThroughTheGatewayGetsNoPrivateField() throws Exception {
        JsonNode anonymous = throughGateway(null);
        anonymous.get("data").get("programs").get("edges").forEach(e ->
                assertThat(e.get("node").get("partnership").get("contact").isNull()).isTrue());
        // The caller's token goes through: an administrator sees the contact, so the null above is the rule.
        JsonNode admin = throughGateway(new HubHttp(port).token("admin"));
        assertThat(admin.get("data").get("programs").get("edges").get(0).get("node").get("partnership")
                .get("contact").asString()).isEqualTo("gateway-private@example.org");
    }

    private JsonNode throughGateway(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HubHttp.body(QUERY,
                        Map.of("partnership", partnership.getId().toString()))));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return HubHttp.JSON.readTree(response.body());
    }

    private static void requireNode() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    continue;
                }
            } catch (IOException | InterruptedException e) {
                // reported below
            }
            fail(tool + " is needed for the federation gateway test and was not found: run "
                    + "hub-server/scripts/install-native-services.sh (it installs Debian's nodejs and npm)");
        }
    }

    /** npm ci once: skipped while node_modules is as the lock file says. */
    private static void npmCi() throws Exception {
        Path installed = PROJECT.resolve("node_modules/.package-lock.json");
        Path lock = PROJECT.resolve("package-lock.json");
        if (Files.exists(installed)
                && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(PROJECT.toFile())
                .redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            fail("npm ci in " + PROJECT + " failed:\n" + output);
        }
    }

    /** Starts a Node process and waits for its "ready" line; its output is in the failure message otherwise. */
    private void start(String name, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        StringBuffer output = new StringBuffer();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.startsWith(name + " ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "federation-" + name);
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(90, TimeUnit.SECONDS)) {
            fail(name + " did not start:\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
