package ca.cmp.hub.map;

import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.map.internal.VectorTiles;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The map's vector tiles. {@code filter} is a {@code CoverageFilter} as JSON, exactly as GraphQL takes it. Anyone
 * may fetch them; figures follow the caller (a bearer token of a funder or planner: unrounded, else small-area
 * protection), so responses vary by {@code Authorization} and are revalidated by ETag (the data version).
 */
@RestController
class TileController {

    static final MediaType MVT = MediaType.parseMediaType("application/vnd.mapbox-vector-tile");

    private final VectorTiles tiles;
    private final MapProperties properties;

    TileController(VectorTiles tiles, MapProperties properties) {
        this.tiles = tiles;
        this.properties = properties;
    }

    @GetMapping("/tiles/areas/{dataset}/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> areas(@PathVariable String dataset, @PathVariable int z, @PathVariable int x,
            @PathVariable int y, @RequestParam(required = false) String filter,
            @RequestParam(defaultValue = "coverage") String metric,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        VectorTiles.Metric m = switch (metric) {
            case "coverage" -> VectorTiles.Metric.COVERAGE;
            case "access" -> VectorTiles.Metric.ACCESS;
            default -> throw new InvalidArgumentException("metric", "must be coverage or access, got \"" + metric
                    + "\"");
        };
        long started = System.nanoTime();
        return respond(tiles.areas(dataset, z, x, y, filter, m, properties.tileCacheMinutes()), ifNoneMatch, started);
    }

    @GetMapping("/tiles/programs/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> programs(@PathVariable int z, @PathVariable int x, @PathVariable int y,
            @RequestParam(required = false) String filter,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        long started = System.nanoTime();
        return respond(tiles.programs(z, x, y, filter, properties.tileCacheMinutes()), ifNoneMatch, started);
    }

    private static ResponseEntity<byte[]> respond(VectorTiles.Tile tile, String ifNoneMatch, long started) {
        String etag = "\"" + Integer.toHexString(tile.key().hashCode()) + Integer.toHexString(tile.bytes().length)
                + "\"";
        // Where the time went, for the browser's resource timing (bench map-browser reads it): milliseconds.
        String timing = String.format(java.util.Locale.ROOT, "lookup;dur=%.2f, tile;dur=%.2f;desc=%s",
                tile.lookupNanos() / 1e6, (System.nanoTime() - started) / 1e6, tile.source().name().toLowerCase());
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().eTag(etag).cacheControl(CacheControl.noCache())
                .varyBy(HttpHeaders.AUTHORIZATION).header("Server-Timing", timing);
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(CacheControl.noCache())
                    .varyBy(HttpHeaders.AUTHORIZATION).header("Server-Timing", timing).build();
        }
        return ok.contentType(MVT).body(tile.bytes());
    }

    @ExceptionHandler(InvalidArgumentException.class)
    ResponseEntity<String> invalid(InvalidArgumentException e) {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage());
    }
}
