package ca.cmp.hub.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The map's vector tiles over HTTP, decoded by a spec-written decoder ({@link Mvt}): a public tile keeps
 * small-area protection exactly as GraphQL's coverage() does (a tiny area suppressed, others rounded to 5), a
 * funder's token gets the unrounded figures, the filter changes them, writes change the tile's ETag, programs come
 * as points, and bad coordinates are named.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorTileTest {

    static final String DATASET = "map-tile-test";
    static final int Z = 12;

    @LocalServerPort
    int port;

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    Partnership partnership;
    int x;
    int y;

    @BeforeAll
    void data(@TempDir Path dir) throws Exception {
        // Two Halifax blocks side by side: A with a handful of youth (below the threshold of 10), B with 93.8.
        Path file = dir.resolve("blocks.geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {"id": "A", "y5": 1, "y10": 1, "y15": 1},
                  "geometry": {"type": "Polygon", "coordinates": [[[-63.60, 44.64], [-63.59, 44.64], [-63.59, 44.65],
                    [-63.60, 44.65], [-63.60, 44.64]]]}},
                 {"type": "Feature", "properties": {"id": "B", "y5": 37, "y10": 41, "y15": 29},
                  "geometry": {"type": "Polygon", "coordinates": [[[-63.59, 44.64], [-63.58, 44.64], [-63.58, 44.65],
                    [-63.59, 44.65], [-63.59, 44.64]]]}}]}""");
        loader.load(new CensusImport(DATASET, CensusImport.Level.DISSEMINATION_AREA, "Tile test blocks",
                "2021 Census", "test", "test licence", file, "id", "id", "NS", new CensusImport.InProperties(
                        Map.of("age5to9", "y5", "age10to14", "y10", "age15to19", "y15"))));
        partnership = fixtures.partnership("Vector tile test");
        // 400 m around B's centre covers about half of B, so both its covered and its uncovered youth are above
        // the threshold and public tiles round them rather than withhold them.
        fixtures.save(fixtures.program(partnership, "Halifax tile test program", 44.645, -63.585, 6, 18,
                MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")).radius(0.4));
        x = (int) Math.floor((-63.59 + 180) / 360 * (1 << Z));
        double lat = Math.toRadians(44.645);
        y = (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * (1 << Z));
    }

    HttpResponse<byte[]> get(String path, String token, String etag) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String areasPath(String filter) {
        String path = "/tiles/areas/" + DATASET + "/" + Z + "/" + x + "/" + y + ".mvt?filter="
                + URLEncoder.encode("{\"partnership\": [\"" + partnership.getId() + "\"]"
                + (filter == null ? "" : ", " + filter) + "}", StandardCharsets.UTF_8);
        return path;
    }

    Map<String, Map<String, Object>> areas(String path, String token) throws Exception {
        HttpResponse<byte[]> response = get(path, token, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.mapbox-vector-tile");
        Mvt.Layer layer = Mvt.decode(response.body()).get("areas");
        assertThat(layer.extent()).isEqualTo(4096);
        Map<String, Map<String, Object>> byCode = new HashMap<>();
        for (Mvt.Feature f : layer.features()) {
            assertThat(f.type()).isEqualTo(3);
            assertThat(f.vertices()).isGreaterThanOrEqualTo(4);
            byCode.put((String) f.properties().get("code"), f.properties());
        }
        return byCode;
    }

    /** GraphQL's coverage() figures of the test dataset, for the same caller and filter. */
    Map<String, JsonNode> graphQl(String token) throws Exception {
        String body = json.writeValueAsString(Map.of("query", """
                query($f: CoverageFilter) { coverage(dataset: "%s", filter: $f) {
                  areas(first: 10) { code figures { youth covered uncovered ratio suppressed } } } }""".formatted(DATASET),
                "variables", Map.of("f", Map.of("partnership", List.of(partnership.getId().toString())))));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/graphql"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        JsonNode answer = json.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
        Map<String, JsonNode> byCode = new HashMap<>();
        for (JsonNode area : answer.get("data").get("coverage").get("areas")) {
            byCode.put(area.get("code").asString(), area.get("figures"));
        }
        return byCode;
    }

    String funderToken() throws Exception {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "demo-funder:demo-funder-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(token.body()).get("access_token").asString();
    }

    @Test
    void publicTilesKeepSmallAreaProtectionAsGraphQlDoes() throws Exception {
        Map<String, Map<String, Object>> tile = areas(areasPath(null), null);
        assertThat(tile).containsOnlyKeys("A", "B");
        // A: fewer youth than the threshold: suppressed whole; MVT leaves null properties out.
        assertThat(tile.get("A")).containsEntry("suppressed", true).doesNotContainKeys("youth", "covered", "uncovered",
                "ratio");
        Map<String, Object> b = tile.get("B");
        assertThat(b).containsEntry("suppressed", false);
        double youth = ((Number) b.get("youth")).doubleValue();
        double covered = ((Number) b.get("covered")).doubleValue();
        assertThat(youth % 5).isZero();
        assertThat(covered % 5).isZero();
        assertThat(covered).isPositive();
        Map<String, JsonNode> graphQl = graphQl(null);
        assertThat(graphQl.get("A").get("suppressed").asBoolean()).isTrue();
        assertThat(youth).isEqualTo(graphQl.get("B").get("youth").asDouble());
        assertThat(covered).isEqualTo(graphQl.get("B").get("covered").asDouble());
        assertThat(((Number) b.get("programs_reaching")).intValue()).isPositive();
    }

    @Test
    void aFundersTokenGetsUnroundedFigures() throws Exception {
        String token = funderToken();
        Map<String, Map<String, Object>> tile = areas(areasPath(null), token);
        Map<String, JsonNode> graphQl = graphQl(token);
        for (String code : List.of("A", "B")) {
            assertThat(tile.get(code)).containsEntry("suppressed", false);
            assertThat(((Number) tile.get(code).get("youth")).doubleValue())
                    .isEqualTo(graphQl.get(code).get("youth").asDouble());
        }
        assertThat(((Number) tile.get("B").get("youth")).doubleValue() % 5).isNotZero();
        // The public tile is not the funder's, though the URL is the same: cached apart, and varied by token.
        assertThat(areas(areasPath(null), null).get("A")).doesNotContainKey("youth");
    }

    @Test
    void theFilterChangesTheFigures() throws Exception {
        String token = funderToken();
        double all = ((Number) areas(areasPath(null), token).get("B").get("youth")).doubleValue();
        double teens = ((Number) areas(areasPath("\"ages\": {\"min\": 15, \"max\": 18}"), token).get("B")
                .get("youth")).doubleValue();
        assertThat(teens).isPositive().isLessThan(all);
        Map<String, Map<String, Object>> access = areas(areasPath(null) + "&metric=access", token);
        assertThat(access.get("B")).containsKey("places_per_1000").doesNotContainKey("covered");
    }

    @Test
    void aWriteChangesTheTileAndItsEtag() throws Exception {
        String path = areasPath(null);
        HttpResponse<byte[]> first = get(path, null, null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        long before = ((Number) Mvt.decode(first.body()).get("areas").features().stream()
                .filter(f -> "B".equals(f.properties().get("code"))).findFirst().orElseThrow().properties()
                .get("programs_reaching")).longValue();
        HttpResponse<byte[]> again = get(path, null, etag);
        assertThat(again.statusCode()).isEqualTo(304);
        // Asked again at the same data version, the tile comes from the instance's memory.
        assertThat(again.headers().firstValue("Server-Timing").orElseThrow()).contains("desc=memory");
        fixtures.save(fixtures.program(partnership, "Second Halifax program", 44.645, -63.595, 6, 18,
                MentoringModel.PEER, ProgramSetting.SCHOOL, DeliveryMode.IN_PERSON, List.of("fr")).radius(1));
        HttpResponse<byte[]> after = get(path, null, etag);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        // The write moved the data version on: nothing kept for the old one answers.
        assertThat(after.headers().firstValue("Server-Timing").orElseThrow()).contains("desc=built");
        Map<String, Object> b = Mvt.decode(after.body()).get("areas").features().stream()
                .filter(f -> "B".equals(f.properties().get("code"))).findFirst().orElseThrow().properties();
        assertThat(((Number) b.get("programs_reaching")).longValue()).isEqualTo(before + 1);
    }

    @Test
    void programsAreClusteredPointsOfActivePrograms() throws Exception {
        String filter = URLEncoder.encode("{\"partnership\": [\"" + partnership.getId() + "\"]}",
                StandardCharsets.UTF_8);
        HttpResponse<byte[]> near = get("/tiles/programs/14/" + (x * 4 + 2) + "/" + (y * 4 + 1) + ".mvt?filter="
                + filter, null, null);
        assertThat(near.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> far = get("/tiles/programs/" + Z + "/" + x + "/" + y + ".mvt?filter=" + filter, null,
                null);
        Mvt.Layer programs = Mvt.decode(far.body()).get("programs");
        assertThat(programs.features()).isNotEmpty().allSatisfy(f -> assertThat(f.type()).isEqualTo(1));
        assertThat(programs.features().stream().mapToLong(f -> ((Number) f.properties().get("programs")).longValue())
                .sum()).isBetween(1L, 2L);
    }

    @Test
    void badTileArgumentsAreNamed() throws Exception {
        HttpResponse<byte[]> z = get("/tiles/areas/" + DATASET + "/30/0/0.mvt", null, null);
        assertThat(z.statusCode()).isEqualTo(400);
        assertThat(new String(z.body(), StandardCharsets.UTF_8)).isEqualTo("z: must be from 0 to 16, got 30");
        HttpResponse<byte[]> dataset = get("/tiles/areas/nope/3/0/0.mvt", null, null);
        assertThat(new String(dataset.body(), StandardCharsets.UTF_8))
                .isEqualTo("dataset: no census dataset \"nope\" is loaded");
        HttpResponse<byte[]> filter = get("/tiles/areas/" + DATASET + "/3/0/0.mvt?filter="
                + URLEncoder.encode("{\"ages\": {\"min\": 3}}", StandardCharsets.UTF_8), null, null);
        assertThat(new String(filter.body(), StandardCharsets.UTF_8))
                .isEqualTo("filter.ages.min: must be a youth age from 6 to 18, got 3");
    }
}
