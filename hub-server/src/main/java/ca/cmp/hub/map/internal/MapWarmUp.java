package ca.cmp.hub.map.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import ca.cmp.hub.cache.BackgroundWarmUp;
import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.map.MapProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.core.env.Environment;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What a funder's first visit needs before anyone asks, once the hub is up and again a few seconds after the
 * data change (as the coverage warm-up does for the analyses): every dataset's extent (the map's first GraphQL
 * question) and the national view's public tiles (province-level datasets, zooms {@value #FROM_ZOOM} to
 * {@value #TO_ZOOM}, the map's opening filter), so a cold browser on a cold cache still paints at once. Built
 * outside any request, they are the public (protected) figures, cached exactly as a visitor's would be.
 */
@Component
class MapWarmUp {

    private static final Logger log = LoggerFactory.getLogger(MapWarmUp.class);
    static final int FROM_ZOOM = 2;
    static final int TO_ZOOM = 4;
    /** The filter the map opens with (web-map's filter()): all youth. */
    static final String OPENING_FILTER = "{\"ages\":{\"min\":6,\"max\":18}}";
    static final long AFTER_CHANGE_SECONDS = 3;
    /** The map's first question (web-map's start()), asked once over HTTP after start-up. */
    static final String OPENING_QUERY = "{\"query\":\"{ partnerships { id name } censusDatasets { id title level "
            + "vintage licence areaCount extent { west south east north } } }\"}";

    private final CensusDatasets datasets;
    private final DatasetExtents extents;
    private final VectorTiles tiles;
    private final int ttlMinutes;
    private final boolean enabled;
    private final Environment environment;
    private final AtomicBoolean asked = new AtomicBoolean();
    private final BackgroundWarmUp background = new BackgroundWarmUp("map-warm-up", this::warm);

    MapWarmUp(CensusDatasets datasets, DatasetExtents extents, VectorTiles tiles, MapProperties properties,
            Environment environment) {
        this.environment = environment;
        this.datasets = datasets;
        this.extents = extents;
        this.tiles = tiles;
        this.ttlMinutes = properties.tileCacheMinutes();
        // Tiles not cached: nothing to warm.
        this.enabled = properties.warmUp() && ttlMinutes > 0;
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        schedule(0);
    }

    /** After the change is committed, so the tiles are built from the new data under the new version. */
    @TransactionalEventListener(fallbackExecution = true)
    void dataChanged(DataVersion.Changed changed) {
        schedule(AFTER_CHANGE_SECONDS);
    }

    private void schedule(long delaySeconds) {
        if (enabled) {
            background.schedule(delaySeconds);
        }
    }

    void warm() {
        try {
            long start = System.nanoTime();
            List<CensusDataset> all = datasets.all();
            var known = extents.of(all);
            int built = 0;
            for (CensusDataset d : all) {
                DatasetExtents.Extent e = known.get(d);
                if (d.level() != CensusImport.Level.PROVINCE || e == null) {
                    continue;
                }
                for (int z = FROM_ZOOM; z <= TO_ZOOM; z++) {
                    int n = 1 << z;
                    for (int x = tileX(e.west(), n); x <= tileX(e.east(), n); x++) {
                        for (int y = tileY(e.north(), n); y <= tileY(e.south(), n); y++) {
                            tiles.areas(d.id(), z, x, y, OPENING_FILTER, VectorTiles.Metric.COVERAGE, ttlMinutes);
                            built++;
                        }
                    }
                }
            }
            long opening = asked.compareAndSet(false, true) ? askAsTheMapDoes() : -1;
            log.info("Warmed the map: {} dataset extents, {} national tiles in {} ms{}", known.size(), built,
                    (System.nanoTime() - start) / 1_000_000, opening < 0 ? "" : "; its first question over HTTP "
                    + opening + " ms");
        } catch (RuntimeException e) {
            log.warn("Could not warm the map: {}", e.getMessage());
        }
    }

    /**
     * The map's first question, asked once through this instance's own HTTP port as a browser asks it: a new
     * instance's first GraphQL request pays for the request path's and the resolvers' first use (about 0.6 s on
     * this project's machine, 1 s under load), which would otherwise fall on the first funder's first paint.
     *
     * @return milliseconds it took, or -1 where the port is not known or the request failed
     */
    long askAsTheMapDoes() {
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null || port <= 0 || environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
            log.info("Did not ask the map's first question over HTTP ({}): the first visit pays for it",
                    port == null || port <= 0 ? "no HTTP port" : "the port speaks TLS only");
            return -1;
        }
        String path = environment.getProperty("server.servlet.context-path", "");
        long start = System.nanoTime();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + path + "/graphql"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(OPENING_QUERY)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            log.info("The map's first question over HTTP answered {}: the first visit pays for it",
                    response.statusCode());
            return -1;
        } catch (java.io.IOException e) {
            log.info("Could not ask the map's first question over HTTP ({}): the first visit pays for it",
                    e.toString());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int tileX(double lon, int n) {
        return Math.max(0, Math.min(n - 1, (int) Math.floor((lon + 180) / 360 * n)));
    }

    private static int tileY(double lat, int n) {
        double r = Math.toRadians(Math.max(-85.05, Math.min(85.05, lat)));
        return Math.max(0, Math.min(n - 1, (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI)
                / 2 * n)));
    }

    @PreDestroy
    void stop() {
        background.close();
    }
}
