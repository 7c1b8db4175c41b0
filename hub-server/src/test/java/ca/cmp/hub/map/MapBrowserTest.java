package ca.cmp.hub.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.OpenData;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The funders' map in a real headless Chromium against the running hub, with the real census layers (provinces,
 * census divisions, Toronto's neighbourhoods) and programs at real Toronto schools (synthetic attributes): no
 * console errors, the choropleth (vector tiles) and programs are drawn (features counted), a filter changes the
 * figures, a click on an area shows its numbers and age profile, French works, the exports are valid files, a
 * dataset loaded through loadCensusDataset becomes the level where it exists (and only there), a shared URL opens
 * the same view and back/forward walk the views, the expansion plan is charted, the region report prints one page
 * per province, and axe-core finds no serious or critical violation. Screenshots go to target/browser-screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MapBrowserTest {

    static final Path SHOTS = Path.of("target/browser-screenshots");

    @LocalServerPort
    int port;

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    Partnership toronto;
    Playwright playwright;
    Browser browser;
    Page page;
    final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            loader.load(layer);
        }
        toronto = fixtures.partnership("Map test (synthetic programs at real Toronto schools)");
        Random random = new Random(11);
        JsonNode schools = JsonMapper.builder().build().readTree(OpenData.dir()
                .resolve("places/toronto_schools.geojson").toFile());
        int i = 0;
        for (JsonNode school : schools.get("features")) {
            if (i++ % 12 != 0) {
                continue;
            }
            JsonNode c = school.get("geometry").get("coordinates");
            int min = 6 + random.nextInt(7);
            fixtures.save(fixtures.program(toronto, "Mentoring at " + school.get("properties").get("name").asString()
                    + " #" + i, c.get(1).asDouble(), c.get(0).asDouble(), min, Math.min(18, min + 4 + random.nextInt(6)),
                    i % 2 == 0 ? MentoringModel.GROUP : MentoringModel.ONE_TO_ONE, ProgramSetting.SCHOOL,
                    DeliveryMode.IN_PERSON, List.of("en")).radius(1 + random.nextInt(3)));
        }
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(chromium())
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1366, 768).setAcceptDownloads(true));
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                consoleErrors.add(m.text());
            }
        });
        page.onPageError(e -> consoleErrors.add(e));
        page.onRequest(r -> {
            // The page must need nothing from the internet.
            if (!r.url().startsWith("http://localhost:" + port) && !r.url().startsWith("data:")
                    && !r.url().startsWith("blob:")) {
                consoleErrors.add("external request: " + r.url());
            }
        });
    }

    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("Chromium is missing: hub-server/scripts/install-native-services.sh "
                + "installs it (apt-get install chromium)");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    private void waitReady() {
        page.waitForFunction("() => ['ready', 'error'].includes(document.body.dataset.state)", null,
                new Page.WaitForFunctionOptions().setTimeout(120_000));
        assertThat(page.evaluate("() => document.body.dataset.state")).as(page.locator("#status").textContent())
                .isEqualTo("ready");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stats() {
        return (Map<String, Object>) page.evaluate("() => window.hubMap.stats()");
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
    }

    @Test
    @Order(1)
    void canadaLoadsAsAChoroplethWithoutErrors() {
        page.navigate("http://localhost:" + port + "/");
        waitReady();
        double cold = ((Number) page.evaluate("() => window.hubMap.readyAt")).doubleValue();
        // Once more, as a funder opening the map after anyone has (analyses are cached in Redis).
        page.navigate("http://localhost:" + port + "/map");
        waitReady();
        double warm = ((Number) page.evaluate("() => window.hubMap.readyAt")).doubleValue();
        System.out.printf("National choropleth interactive after %.0f ms (first ever load, analysis computed), "
                + "%.0f ms (cached)%n", cold, warm);
        Map<String, Object> stats = stats();
        assertThat(stats.get("dataset")).isEqualTo("provinces");
        assertThat(((Number) stats.get("areas")).intValue()).isEqualTo(13);
        assertThat(page.locator("#legend li").count()).isEqualTo(6);
        assertThat(page.locator("#totals dd").first().textContent()).matches("[\\d  ,.]+");
        // Pixels, not only objects: the tiles' canvases hold the choropleth's colours.
        Number painted = (Number) page.evaluate("""
                () => { let n = 0; for (const c of document.querySelectorAll('#map canvas')) {
                  if (!c.width || !c.height) continue;
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let i = 0; i < d.length; i += 4 * 97) if (d[i + 3] > 0) n++; } return n; }""");
        assertThat(painted.intValue()).isGreaterThan(1000);
        assertThat(((Number) stats.get("tiles")).intValue()).isPositive();
        assertThat(page.locator("#dataset-line").textContent()).contains("provinces and territories");
        shot("1-canada");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(2)
    void torontoShowsNeighbourhoodsProgramsAndGaps() {
        page.evaluate("() => window.hubMap.view(43.70, -79.40, 11)");
        page.waitForFunction("() => window.hubMap.stats().zoom === 11", null,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        waitReady();
        // This test's programs only: other test classes share the database, and theirs would blanket the city.
        page.locator("#partnership").selectOption(toronto.getId().toString());
        waitReady();
        // The neighbourhoods chosen in the Areas menu: other test classes load finer (dissemination-area) layers
        // over Toronto into the shared database, which the automatic choice rightly prefers. The automatic choice
        // itself is the datasets test's (over Halifax and Vancouver).
        page.locator("#layer").selectOption("toronto-neighbourhoods");
        waitReady();
        assertThat(stats().get("dataset")).isEqualTo("toronto-neighbourhoods");
        Map<String, Object> stats = stats();
        assertThat(((Number) stats.get("areas")).intValue()).isEqualTo(140);
        assertThat(((Number) stats.get("programMarkers")).intValue()).isPositive();
        assertThat(((Number) stats.get("gaps")).intValue()).isPositive();
        assertThat(page.locator("#gaps li").count()).isPositive();
        page.locator("#serviceAreas").check();
        waitReady();
        assertThat(((Number) stats().get("serviceAreas")).intValue()).isPositive();
        shot("2-toronto");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(3)
    void aFilterChangeUpdatesTheFiguresAndAClickShowsAnArea() {
        String before = page.locator("#totals").textContent();
        page.locator("#ageMin").fill("14");
        page.locator("#ageMin").dispatchEvent("change");
        waitReady();
        String after = page.locator("#totals").textContent();
        assertThat(after).isNotEqualTo(before);

        // An area whose figures the public sees: a small area's are withheld, and then it shows no age profile.
        @SuppressWarnings("unchecked")
        List<String> codes = (List<String>) page.evaluate("() => window.hubMap.openCodes()");
        assertThat(codes).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) page.evaluate("c => window.hubMap.areaPoint(c)",
                codes.get(codes.size() / 2));
        page.mouse().click(((Number) point.get("x")).doubleValue(), ((Number) point.get("y")).doubleValue());
        page.locator("#details").waitFor();
        assertThat(page.locator("#details-title").textContent()).isNotBlank();
        assertThat(page.locator("#details-body").textContent()).contains("Youth 6–18");
        // The area's age profile: one bar pair per age of the filter (14 to 18).
        page.waitForFunction("() => document.querySelectorAll('#details-chart svg rect.bar').length === 5", null,
                new Page.WaitForFunctionOptions().setTimeout(60_000));
        shot("3-area");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(4)
    void theMapSpeaksFrench() {
        page.locator("#lang").click();
        assertThat(page.locator("h1").textContent()).isEqualTo("Qui peut trouver un mentor?");
        assertThat(page.evaluate("() => document.documentElement.lang")).isEqualTo("fr");
        assertThat(page.locator("#legend-title").textContent()).isEqualTo("Part des jeunes à portée");
        shot("4-francais");
        page.locator("#lang").click();
        assertThat(page.locator("h1").textContent()).isEqualTo("Who can reach a mentor?");
    }

    @Test
    @Order(5)
    void exportsAreValidFiles() throws Exception {
        Download csv = page.waitForDownload(() -> page.locator("#export-csv").click());
        List<String> lines = Files.readAllLines(csv.path(), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("dataset,code,name,youth_6_18,covered,uncovered,ratio,programs_reaching");
        assertThat(lines.size()).isGreaterThan(10);
        assertThat(lines.get(1)).startsWith("toronto-neighbourhoods,");

        Download geojson = page.waitForDownload(() -> page.locator("#export-geojson").click());
        JsonNode collection = JsonMapper.builder().build().readTree(geojson.path().toFile());
        assertThat(collection.get("type").asString()).isEqualTo("FeatureCollection");
        assertThat(collection.get("features").size()).isGreaterThan(10);
        assertThat(collection.get("features").get(0).get("geometry").get("type").asString()).contains("Polygon");

        Download png = page.waitForDownload(() -> page.locator("#export-png").click());
        byte[] bytes = Files.readAllBytes(png.path());
        assertThat(bytes).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertThat(bytes.length).isGreaterThan(5_000);
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(6)
    void aPlannerSeesAnExpansionPlanOnTheMap() throws Exception {
        java.net.http.HttpResponse<String> token = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/oauth2/token"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                "demo-planner:demo-planner-secret".getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String accessToken = JsonMapper.builder().build().readTree(token.body()).get("access_token").asString();
        page.locator("summary").click();
        page.locator("#token").fill(accessToken);
        page.locator("#token").dispatchEvent("change");
        waitReady();
        page.locator("#planSites").fill("4");
        page.locator("#planRun").click();
        page.waitForFunction("() => document.querySelectorAll('#planList li').length === 4", null,
                new Page.WaitForFunctionOptions().setTimeout(120_000));
        assertThat(((Number) stats().get("planLayers")).intValue()).isEqualTo(8);
        assertThat(page.locator("#planSummary").textContent()).contains("with the plan");
        // The coverage curve (today and after each of the 4 sites) and each site's marginal youth.
        assertThat(page.locator("#plan-curve svg circle").count()).isEqualTo(5);
        assertThat(page.locator("#planCharts svg rect.bar").count()).isEqualTo(4);
        page.locator("#plan-curve").scrollIntoViewIfNeeded();
        shot("5-plan");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(7)
    void aDatasetLoadedThroughTheApiIsTheLevelWhereItExistsOnly() throws Exception {
        // A synthetic grid of "dissemination areas" over Halifax (seeded counts, labelled synthetic).
        Path dir = Files.createDirectories(Path.of("target/test-imports/map-" + System.nanoTime()));
        Path file = dir.resolve("halifax-grid.geojson");
        StringBuilder features = new StringBuilder();
        Random random = new Random(19);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double w = -63.66 + 0.02 * i;
                double s = 44.60 + 0.015 * j;
                features.append(features.isEmpty() ? "" : ",").append(String.format(java.util.Locale.ROOT, """
                        {"type": "Feature", "properties": {"id": "HX%d%d", "name": "Synthetic block %d-%d",
                          "y5": %d, "y10": %d, "y15": %d},
                         "geometry": {"type": "Polygon", "coordinates": [[[%f, %f], [%f, %f], [%f, %f], [%f, %f],
                          [%f, %f]]]}}""", i, j, i, j, 20 + random.nextInt(80), 20 + random.nextInt(80),
                        20 + random.nextInt(80), w, s, w + 0.02, s, w + 0.02, s + 0.015, w, s + 0.015, w, s));
            }
        }
        Files.writeString(file, "{\"type\": \"FeatureCollection\", \"features\": [" + features + "]}");
        Map<String, Object> input = new java.util.HashMap<>(Map.of("id", "map-test-halifax-grid",
                "level", "DISSEMINATION_AREA", "title", "Halifax synthetic grid", "vintage", "synthetic 2026",
                "source", "MapBrowserTest", "licence", "Synthetic test data", "boundaries", file.toString(),
                "codeProperty", "id", "nameProperty", "name", "province", "NS"));
        input.put("counts", Map.of("properties", Map.of("age5to9", "y5", "age10to14", "y10", "age15to19", "y15")));
        String body = JsonMapper.builder().build().writeValueAsString(Map.of("query", Files.readString(
                Path.of("src/test/resources/graphql-test/loadCensusDataset.graphql")), "variables",
                Map.of("input", input)));
        java.net.http.HttpResponse<String> loaded = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/graphql"))
                        .header("Authorization", "Bearer " + token("demo-planner:demo-planner-secret"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(loaded.body()).contains("CensusDatasetLoaded");

        page.navigate("http://localhost:" + port + "/?lat=44.64&lon=-63.60&z=12");
        waitReady();
        assertThat(stats().get("dataset")).isEqualTo("map-test-halifax-grid");
        assertThat(((Number) stats().get("areas")).intValue()).isEqualTo(36);
        assertThat(page.locator("#dataset-line").textContent()).contains("Halifax synthetic grid")
                .contains("dissemination areas").contains("synthetic 2026");
        assertThat(page.locator("#legend-dataset").textContent()).contains("Halifax synthetic grid");
        shot("7-halifax");
        // Over Vancouver at the same zoom: neither Halifax's grid nor Toronto's neighbourhoods.
        page.evaluate("() => window.hubMap.view(49.26, -123.12, 12)");
        page.waitForFunction("() => window.hubMap.stats().zoom === 12 && window.hubMap.stats().dataset "
                + "!== 'map-test-halifax-grid'", null, new Page.WaitForFunctionOptions().setTimeout(30_000));
        waitReady();
        assertThat(stats().get("dataset")).isEqualTo("census-divisions");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(8)
    void aSharedUrlOpensTheSameViewAndBackWalksTheViews() {
        // As the public sees it (the shared link opens without the planner's token of the test before).
        page.evaluate("() => sessionStorage.removeItem('hubToken')");
        page.navigate("http://localhost:" + port + "/?lat=43.70&lon=-79.40&z=11");
        waitReady();
        page.locator("#ageMin").fill("12");
        page.locator("#ageMin").dispatchEvent("change");
        waitReady();
        page.locator("#metric").selectOption("access");
        waitReady();
        page.locator("#lang").click();
        page.waitForFunction("() => location.search.includes('lang=fr')");
        String shared = page.url();
        assertThat(shared).contains("ages=12-18").contains("metric=access").contains("z=11");
        Map<String, Object> before = stats();
        String totals = page.locator("#totals").textContent();

        Page other = browser.newPage(new Browser.NewPageOptions().setViewportSize(1366, 768));
        other.navigate(shared);
        other.waitForFunction("() => document.body.dataset.state === 'ready'", null,
                new Page.WaitForFunctionOptions().setTimeout(120_000));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) other.evaluate("() => window.hubMap.stats()");
        assertThat(after.get("dataset")).isEqualTo(before.get("dataset"));
        assertThat(after.get("zoom")).isEqualTo(before.get("zoom"));
        assertThat(other.locator("#ageMin").inputValue()).isEqualTo("12");
        assertThat(other.locator("#metric").inputValue()).isEqualTo("access");
        assertThat(other.locator("h1").textContent()).isEqualTo("Qui peut trouver un mentor?");
        assertThat(other.locator("#totals").textContent()).isEqualTo(totals);
        other.close();

        page.goBack();
        page.waitForFunction("() => !location.search.includes('lang=fr')");
        waitReady();
        assertThat(page.locator("h1").textContent()).isEqualTo("Who can reach a mentor?");
        page.goBack();
        page.waitForFunction("() => !location.search.includes('metric=access')");
        waitReady();
        assertThat(page.locator("#metric").inputValue()).isEqualTo("coverage");
        page.goForward();
        page.waitForFunction("() => location.search.includes('metric=access')");
        waitReady();
        assertThat(page.locator("#metric").inputValue()).isEqualTo("access");
        assertThat(page.locator("h1").textContent()).isEqualTo("Who can reach a mentor?");
        page.locator("#metric").selectOption("coverage");
        waitReady();
        assertThat(page.url()).doesNotContain("lang=fr");
        assertThat(page.locator("h1").textContent()).isEqualTo("Who can reach a mentor?");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(9)
    void theRegionReportPrintsOnePagePerProvince() throws Exception {
        page.locator("#reportFor").selectOption("PROVINCES");
        page.locator("#report-build").click();
        page.waitForFunction("() => document.querySelectorAll('.report-page').length === 13", null,
                new Page.WaitForFunctionOptions().setTimeout(120_000));
        waitReady();
        assertThat(page.locator(".report-page h2").first().textContent()).isEqualTo("Alberta");
        assertThat(page.locator(".report-page").first().textContent()).contains("Method").contains("Credits")
                .contains("Largest gaps");
        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.PRINT));
        Path shot = SHOTS.resolve("9-report-print.png");
        page.screenshot(new Page.ScreenshotOptions().setPath(shot));
        // The printed page shows the report, not the map's controls, and is mostly white paper with dark text.
        assertThat(page.locator("#filters").isVisible()).isFalse();
        assertThat(page.locator("#report-tools").isVisible()).isFalse();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(shot.toFile());
        int white = 0;
        int dark = 0;
        int samples = 0;
        for (int x = 0; x < image.getWidth(); x += 7) {
            for (int y = 0; y < image.getHeight(); y += 7) {
                int rgb = image.getRGB(x, y);
                int lum = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                samples++;
                if (lum > 240) {
                    white++;
                } else if (lum < 80) {
                    dark++;
                }
            }
        }
        assertThat(white).isGreaterThan(samples / 2);
        assertThat(dark).isPositive();
        byte[] pdf = page.pdf(new Page.PdfOptions().setFormat("A4"));
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        int pages = text.split("/Type\\s*/Page[^s]", -1).length - 1;
        assertThat(pages).isEqualTo(13);
        page.emulateMedia(new Page.EmulateMediaOptions().setMedia(com.microsoft.playwright.options.Media.SCREEN));
        page.locator("#report-close").click();
        assertThat(page.locator("#map").isVisible()).isTrue();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(10)
    void axeFindsNoSeriousOrCriticalViolationAndTheKeyboardReachesTheMap() throws Exception {
        page.navigate("http://localhost:" + port + "/?lat=43.70&lon=-79.40&z=11");
        waitReady();
        page.locator("summary").click();
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(Files.readString(
                Path.of("../web-map/node_modules/axe-core/axe.min.js"))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate("""
                async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""");
        assertThat(violations).isEmpty();
        // The keyboard reaches the map, and Enter opens the area at its centre.
        page.locator("#map").focus();
        page.keyboard().press("Enter");
        page.locator("#details").waitFor();
        assertThat(page.locator("#details-title").textContent()).isNotBlank();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(11)
    void partnershipsRegionsAreOutlinedAndAClickOnOneGivesItsCard() {
        Partnership nova = fixtures.partnership("Nova Scotia Mentoring (map test)");
        jdbc.update("UPDATE partnership SET region = ST_Multi(ST_MakeEnvelope(-64.2, 44.4, -63.2, 45.0, 4326)) "
                + "WHERE id = ?", nova.getId());
        page.navigate("http://localhost:" + port + "/?lat=44.7&lon=-63.7&z=8");
        waitReady();
        assertThat(((Number) stats().get("regions")).intValue()).isPositive();
        // A real click on the region's outline (its southern edge); a click inside opens the area there instead.
        @SuppressWarnings("unchecked")
        Map<String, Object> point = (Map<String, Object>) page.evaluate(
                "() => window.hubMap.point(44.4, -63.7)");
        var box = page.locator("#map").boundingBox();
        page.mouse().click(box.x + ((Number) point.get("x")).doubleValue(), box.y + ((Number) point.get("y")).doubleValue());
        page.locator("#details").waitFor();
        assertThat(page.locator("#details-title").textContent()).isEqualTo(nova.getName());
        assertThat(page.locator("#details-body").textContent()).contains("Active programs");
        // Coverage by partnership: a bar for the region's partnership, from coverage clipped to its region.
        page.waitForFunction("name => (document.querySelector('#partnership-chart')?.textContent || '').includes(name)",
                nova.getName());
        assertThat(page.locator("#partnership-chart figcaption").textContent()).isEqualTo("Coverage by partnership");
        // Off, it stays off in the shared URL.
        page.locator("#showRegions").uncheck();
        page.waitForFunction("() => window.hubMap.stats().regions === 0");
        assertThat(page.url()).contains("regions=0");
        shot("11-regions");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    @Order(12)
    void theMapsTileDecoderReadsWhatTheTestsDecoderReadsAndNamesWhereABrokenTileBreaks() throws Exception {
        // Toronto at zoom 11, the neighbourhoods with their figures, as the map asks for them.
        String path = "/tiles/areas/toronto-neighbourhoods/11/572/747.mvt?filter="
                + java.net.URLEncoder.encode("{\"ages\":{\"min\":6,\"max\":18}}", StandardCharsets.UTF_8)
                + "&metric=coverage";
        byte[] bytes = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        Mvt.Layer expected = Mvt.decode(bytes).get("areas");
        assertThat(expected.features()).hasSizeGreaterThan(10);
        page.navigate("http://localhost:" + port + "/");
        waitReady();
        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = (Map<String, Object>) page.evaluate("""
                async path => {
                  const mvt = await import('/mvt.js');
                  const bytes = await (await fetch(path)).arrayBuffer();
                  const areas = mvt.decodeTile(bytes).areas;
                  let broken = null;
                  try { mvt.decodeTile(bytes.slice(0, bytes.byteLength - 9)); } catch (e) { broken = e.message; }
                  return {extent: areas.extent, broken, features: areas.features.map(f => ({type: f.type,
                    properties: f.properties, vertices: f.geometry.reduce((n, r) => n + r.length
                      - (f.type === 3 ? 1 : 0), 0)}))};
                }""", path);
        assertThat(((Number) decoded.get("extent")).intValue()).isEqualTo(expected.extent());
        List<?> features = (List<?>) decoded.get("features");
        assertThat(features).hasSameSizeAs(expected.features());
        for (int i = 0; i < features.size(); i++) {
            Map<?, ?> f = (Map<?, ?>) features.get(i);
            Mvt.Feature e = expected.features().get(i);
            assertThat(((Number) f.get("type")).intValue()).isEqualTo(e.type());
            assertThat(((Number) f.get("vertices")).intValue()).as("feature %d's vertices", i).isEqualTo(e.vertices());
            Map<?, ?> properties = (Map<?, ?>) f.get("properties");
            assertThat(properties.keySet()).isEqualTo(e.properties().keySet());
            int n = i;
            e.properties().forEach((k, v) -> {
                Object js = properties.get(k);
                if (v instanceof Number number) {
                    assertThat(((Number) js).doubleValue()).as("%s of feature %d", k, n)
                            .isEqualTo(number.doubleValue());
                } else {
                    assertThat(js).as("%s of feature %d", k, n).isEqualTo(v);
                }
            });
        }
        assertThat((String) decoded.get("broken")).startsWith("vector tile: ").contains("past the end");
        assertThat(consoleErrors).isEmpty();
    }

    private String token(String client) throws Exception {
        java.net.http.HttpResponse<String> token = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/oauth2/token"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                client.getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(token.body()).get("access_token").asString();
    }
}
