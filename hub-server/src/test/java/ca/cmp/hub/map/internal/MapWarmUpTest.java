package ca.cmp.hub.map.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The map's warm-up (off in the suite's settings, so called here directly): it builds the national view's public
 * tiles of a province-level layer into the instance's memory before anyone asks, and asks the map's first GraphQL
 * question over the instance's own HTTP port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapWarmUpTest {

    static final String DATASET = "map-warm-up-test-provinces";

    @LocalServerPort
    int port;

    @Autowired
    CensusLoader loader;

    @Autowired
    MapWarmUp warmUp;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void data(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("provinces.geojson");
        Files.writeString(file, """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {"id": "NS", "y5": 40, "y10": 50, "y15": 30},
                  "geometry": {"type": "Polygon", "coordinates": [[[-66.0, 43.5], [-60.0, 43.5], [-60.0, 47.0],
                    [-66.0, 47.0], [-66.0, 43.5]]]}}]}""");
        loader.load(new CensusImport(DATASET, CensusImport.Level.PROVINCE, "Warm-up test provinces", "2021 Census",
                "test", "test licence", file, "id", "id", "NS", new CensusImport.InProperties(
                        Map.of("age5to9", "y5", "age10to14", "y10", "age15to19", "y15"))));
    }

    @Test
    void theNationalViewsPublicTilesAreInMemoryBeforeAnyoneAsks() throws Exception {
        warmUp.warm();
        int z = 3;
        int n = 1 << z;
        int x = (int) Math.floor((-63.0 + 180) / 360 * n);
        double lat = Math.toRadians(45.0);
        int y = (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
        HttpResponse<byte[]> tile = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/tiles/areas/" + DATASET + "/" + z + "/" + x + "/" + y + ".mvt?filter="
                + URLEncoder.encode(MapWarmUp.OPENING_FILTER, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.body()).isNotEmpty();
        // Built by the warm-up, not by this request.
        assertThat(tile.headers().firstValue("Server-Timing").orElseThrow()).contains("desc=memory");
    }

    @Test
    void theMapsFirstQuestionIsAskedOverTheInstancesOwnPort() {
        // -1 where the port is unknown or the answer is not 200.
        assertThat(warmUp.askAsTheMapDoes()).isGreaterThanOrEqualTo(0);
    }
}
