package ca.cmp.hub.map;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The map in headless Chromium against a running hub (bench/map-browser.sh), with performance marks: the national
 * view's first paint, pan/zoom tile times cold (not yet in Redis) and warm (a second visit of the same views, a new
 * browser), bytes per view; and, in the same run, today's GeoJSON path (whole layers as GeoJSON through GraphQL, as
 * the map drew them before vector tiles) for the same views. Not a test: {@code main(baseUrl, resultsDir, dataset)}.
 */
public final class MapBrowserBench {

    /** Views over the synthetic layer's cities: lat, lon, zoom. */
    static final double[][] VIEWS = {{43.6532, -79.3832, 11}, {43.70, -79.45, 12}, {43.66, -79.30, 13},
            {45.5019, -73.5674, 11}, {45.53, -73.60, 12}, {49.2827, -123.1207, 11}, {49.26, -123.05, 12},
            {51.0447, -114.0719, 11}, {53.5461, -113.4938, 12}, {45.4215, -75.6972, 11}, {44.6488, -63.5752, 12},
            {49.8951, -97.1384, 12}};

    /**
     * Views over other cities of the synthetic layer, none of whose tiles the measured views share: a browser visits
     * them first, unmeasured, so the hub measured is one that has served a map before (its request path compiled
     * by the JIT), as any running hub has; the measured views' tiles are still uncached.
     */
    static final double[][] WARM_UP_VIEWS = {{46.8139, -71.2080, 11}, {48.4284, -123.3656, 12},
            {52.1332, -106.6700, 11}, {50.4452, -104.6189, 12}, {47.5615, -52.7126, 12}, {45.4042, -71.8929, 13},
            {42.3149, -83.0364, 12}, {42.9849, -81.2453, 11}};

    /**
     * The page's first readiness is polled every 50 ms, not on every animation frame (Playwright's default); each
     * view after it waits for the map's own event. Polled each frame with {@code stats()} (which walks every decoded
     * feature), the probe itself took a share of the two cores from what is measured.
     */
    static final Page.WaitForFunctionOptions POLL = new Page.WaitForFunctionOptions().setPollingInterval(50);

    private MapBrowserBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path results = Path.of(args[1]);
        String dataset = args[2];
        Files.createDirectories(results);
        List<String> lines = new ArrayList<>();
        // The bench's check (bench/smoke.sh looks for it): every pass drew tiles and the GeoJSON path answered
        // without errors; the two paths draw from the same analysis.
        boolean drew = true;
        boolean answered = true;
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setHeadless(true)
                    .setExecutablePath(MapBrowserTest.chromium())
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync"));
            try (Browser browser = playwright.chromium().launch(launch)) {
                // The DA layer's coverage and gap analyses, once, before any measurement: both paths draw from
                // the same cached analysis, and what is measured is how the map gets it.
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                long t0 = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/tiles/areas/" + dataset
                        + "/11/572/747.mvt")).timeout(java.time.Duration.ofMinutes(15)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                lines.add(String.format(Locale.ROOT, "analysis of %s (coverage, whole layer, first tile): %.0f ms",
                        dataset, (System.nanoTime() - t0) / 1e6));
                // The national layers' analyses as the hub's warm-up leaves them a few seconds after any change made
                // through the hub; the bench loads its synthetic data behind the hub's back, so it asks for them
                // itself. "Cold" below is then a cold browser and a cold tile cache, as a funder meets them.
                for (String national : List.of("provinces", "census-divisions")) {
                    t0 = System.nanoTime();
                    http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                            .header("Content-Type", "application/json").timeout(java.time.Duration.ofMinutes(15))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"query($f: "
                                    + "CoverageFilter) { coverage(dataset: \\\"" + national + "\\\", filter: $f) "
                                    + "{ gaps(first: 10) { rank } } }\", \"variables\": {\"f\": {\"ages\": "
                                    + "{\"min\": 6, \"max\": 18}}}}")).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    lines.add(String.format(Locale.ROOT, "analysis of %s (coverage and gaps, whole layer): %.0f ms",
                            national, (System.nanoTime() - t0) / 1e6));
                }
                t0 = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                        .header("Content-Type", "application/json").timeout(java.time.Duration.ofMinutes(15))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"query($f: CoverageFilter) "
                                + "{ coverage(dataset: \\\"" + dataset + "\\\", filter: $f) { gaps(first: 10) { rank } } }\", "
                                + "\"variables\": {\"f\": {\"ages\": {\"min\": 6, \"max\": 18}}}}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                lines.add(String.format(Locale.ROOT, "gaps of %s (whole layer): %.0f ms", dataset,
                        (System.nanoTime() - t0) / 1e6));

                try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                        .setViewportSize(1366, 768))) {
                    Page page = context.newPage();
                    t0 = System.nanoTime();
                    page.navigate(base + "/");
                    ready(page);
                    for (double[] v : WARM_UP_VIEWS) {
                        view(page, v, "warm-up");
                    }
                    lines.add(String.format(Locale.ROOT, "hub's warm-up pass (other cities, not measured): %d views "
                            + "in %.0f ms", WARM_UP_VIEWS.length, (System.nanoTime() - t0) / 1e6));
                }
                for (String pass : List.of("cold", "warm")) {
                    try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                            .setViewportSize(1366, 768))) {
                        Page page = context.newPage();
                        page.onConsoleMessage(msg -> {
                            if ("error".equals(msg.type())) {
                                System.err.println("browser console: " + msg.text());
                            }
                        });
                        page.onPageError(err -> System.err.println("page error: " + err));
                        page.navigate(base + "/");
                        ready(page);
                        Map<?, ?> first = (Map<?, ?>) page.evaluate("""
                                () => ({firstPaint: window.hubMap.firstPaintAt, ready: window.hubMap.readyAt,
                                  bytes: performance.getEntriesByType('resource').reduce((s, e) => s + e.transferSize, 0)
                                    + performance.getEntriesByType('navigation')[0].transferSize,
                                  dataset: window.hubMap.stats().dataset})""");
                        lines.add(String.format(Locale.ROOT, "tiles %s: national first paint %.0f ms (dataset %s), "
                                        + "page and data %.0f kB", pass, num(first.get("firstPaint")),
                                first.get("dataset"), num(first.get("bytes")) / 1024));
                        // The first paint's waterfall: every request until then, when it started and ended, and the
                        // hub's own time for tiles (Server-Timing).
                        Files.writeString(results.resolve("first-paint-" + pass + ".txt"), (String) page.evaluate("""
                                () => performance.getEntriesByType('resource').filter(e => e.startTime
                                    <= window.hubMap.firstPaintAt).map(e => [e.startTime.toFixed(0),
                                  e.responseEnd.toFixed(0), e.transferSize, e.name.replace(location.origin, '')
                                    .replace(/\\?.*/, ''), e.serverTiming.map(t => t.name + '=' + t.duration.toFixed(1)
                                    + (t.description ? ' ' + t.description : '')).join(' ')].join('\\t'))
                                  .join('\\n') + '\\nfirst paint\\t' + window.hubMap.firstPaintAt.toFixed(0)
                                  + '\\nDOMContentLoaded\\t' + performance.getEntriesByType('navigation')[0]
                                    .domContentLoadedEventEnd.toFixed(0) + '\\n'"""));
                        List<Double> tileMs = new ArrayList<>();
                        List<Double> decodedMs = new ArrayList<>();
                        List<Double> viewBytes = new ArrayList<>();
                        List<Double> viewMs = new ArrayList<>();
                        List<Double> serverMs = new ArrayList<>();
                        Map<String, Integer> sources = new java.util.TreeMap<>();
                        for (double[] v : VIEWS) {
                            page.evaluate("() => { performance.clearMarks('hub-tile'); "
                                    + "performance.clearResourceTimings(); }");
                            long s = System.nanoTime();
                            view(page, v, pass);
                            viewMs.add((System.nanoTime() - s) / 1e6);
                            // A tile's time: request sent to response read (the browser's queueing behind its six
                            // connections per host is left out); and from asking to decoded, queueing included.
                            Map<?, ?> m = (Map<?, ?>) page.evaluate("""
                                    () => ({tiles: performance.getEntriesByType('resource')
                                        .filter(e => e.name.includes('/tiles/'))
                                        .map(e => e.responseEnd - (e.requestStart || e.startTime)),
                                      decoded: performance.getEntriesByName('hub-tile').map(e => e.detail.ms),
                                      server: performance.getEntriesByType('resource')
                                        .filter(e => e.name.includes('/tiles/'))
                                        .map(e => (e.serverTiming.find(t => t.name === 'tile') || {}))
                                        .map(t => [t.duration, t.description]),
                                      bytes: performance.getEntriesByType('resource').reduce((s, e) =>
                                        s + e.transferSize, 0), dataset: window.hubMap.stats().dataset})""");
                            for (Object ms : (List<?>) m.get("tiles")) {
                                tileMs.add(num(ms));
                            }
                            for (Object ms : (List<?>) m.get("decoded")) {
                                decodedMs.add(num(ms));
                            }
                            viewBytes.add(num(m.get("bytes")));
                            for (Object t : (List<?>) m.get("server")) {
                                List<?> st = (List<?>) t;
                                if (st.get(0) != null) {
                                    serverMs.add(num(st.get(0)));
                                    sources.merge(String.valueOf(st.get(1)), 1, Integer::sum);
                                }
                            }
                        }
                        lines.add(String.format(Locale.ROOT, "tiles %s: pan/zoom %d views, %d tiles: tile request p50 %.0f "
                                        + "ms, p95 %.0f ms, max %.0f ms; asked-to-decoded p50 %.0f ms, p95 %.0f ms; "
                                        + "view settled p50 %.0f ms; bytes per view mean %.0f kB, max %.0f kB", pass,
                                VIEWS.length, tileMs.size(), pct(tileMs, 50), pct(tileMs, 95), pct(tileMs, 100),
                                pct(decodedMs, 50), pct(decodedMs, 95), pct(viewMs, 50),
                                viewBytes.stream().mapToDouble(d -> d).average().orElse(0) / 1024,
                                pct(viewBytes, 100) / 1024));
                        lines.add(String.format(Locale.ROOT, "tiles %s: hub's own time per tile (Server-Timing) p50 "
                                + "%.1f ms, p95 %.1f ms, max %.1f ms; from %s", pass, pct(serverMs, 50), pct(serverMs, 95),
                                pct(serverMs, 100), sources));
                        drew &= !tileMs.isEmpty() && first.get("firstPaint") != null;
                    }
                }

                // Today's GeoJSON path, in the same browser: what the map fetched before tiles, per level.
                try (BrowserContext context = browser.newContext()) {
                    Page page = context.newPage();
                    page.navigate(base + "/map/config");
                    // The old map asked for a layer's areaCount figures; the query-cost limit refuses more than about
                    // 1,900, so the DA layer's figures come for 1,500 of its areas only.
                    for (String[] level : List.of(new String[] {"provinces", "5000", "national", "13"},
                            new String[] {dataset, "15", "city", "1500"})) {
                        Map<?, ?> m = (Map<?, ?>) page.evaluate("""
                                async ([d, s, n]) => {
                                  const q = async (query, variables) => { const r = await fetch('/graphql', {method: 'POST',
                                    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({query, variables})});
                                    const text = await r.text(); const body = JSON.parse(text);
                                    return {bytes: text.length, errors: body.errors ? body.errors.map(e => e.message) : null,
                                      n: body.data ? JSON.stringify(body.data).length : 0}; };
                                  const t0 = performance.now();
                                  const [a, c] = await Promise.all([
                                    q('query($d: ID!, $s: Float) { censusAreas(dataset: $d, simplifyMeters: $s) { code name province boundary } }', {d, s: Number(s)}),
                                    q('query($d: ID!) { coverage(dataset: $d) { totals { youth covered } areas(first: ' + n + ') { code name figures { youth covered uncovered ratio suppressed } programsReaching } gaps(first: 10) { rank geometry unmetYouth areaKm2 areaCodes } } }', {d})]);
                                  return {ms: performance.now() - t0, bytes: a.bytes + c.bytes, errors: [a.errors, c.errors]};
                                }""", List.of(level[0], level[1], level[3]));
                        answered &= String.valueOf(m.get("errors")).contains("[null, null]");
                        lines.add(String.format(Locale.ROOT, "geojson (today's path) %s view (%s): %.0f ms, %.0f kB%s",
                                level[2], level[0], num(m.get("ms")), num(m.get("bytes")) / 1024,
                                String.valueOf(m.get("errors")).contains("[null, null]") ? ""
                                        : " errors: " + m.get("errors")));
                    }
                }
            }
        }
        lines.add("check: tiles drawn in every pass, GeoJSON answered without errors: "
                + (drew && answered ? "PASS" : "FAIL"));
        lines.forEach(System.out::println);
        Files.write(results.resolve("summary.txt"), lines);
        if (!(drew && answered)) {
            System.exit(1);
        }
    }

    /** Moves the map to {@code v} and waits for its hub-refreshed event (the view drawn): nothing polls it. */
    private static void view(Page page, double[] v, String pass) {
        Object drawn = page.evaluate("""
                v => new Promise((resolve, reject) => {
                  const late = setTimeout(() => reject(new Error('not drawn in 300 s: '
                    + JSON.stringify(window.hubMap.stats()))), 300000);
                  document.addEventListener('hub-refreshed', e => { clearTimeout(late);
                    resolve(e.detail.state); }, {once: true});
                  window.hubMap.view(v[0], v[1], v[2]);
                })""", List.of(v[0], v[1], v[2]));
        if (!"ready".equals(drawn)) {
            System.err.println("the " + pass + " view " + java.util.Arrays.toString(v) + " ended " + drawn + ": "
                    + page.evaluate("() => window.hubMap.errors.join('; ')"));
        }
    }

    private static void ready(Page page) {
        page.waitForFunction("() => ['ready', 'error'].includes(document.body.dataset.state)", null,
                new Page.WaitForFunctionOptions().setTimeout(300_000).setPollingInterval(50));
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
