package ca.cmp.hub.partnership;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.geojson.GeoJsonException;
import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link RegionInput} into the MultiPolygon a partnership or a request to join stores (WGS 84, valid,
 * inside Canada), and draws stored regions simplified for maps. The union of census areas is PostGIS's
 * ({@code ST_Union}, then {@code ST_MakeValid}: the published boundaries are simplified and their union can
 * carry slivers that only repair makes valid).
 */
@Component
class PartnershipRegions {

    static final int MAX_CODES = 20_000;
    static final int MAX_VERTICES = 200_000;

    /** A usable region, or what is wrong with the input (the field's path and why). */
    sealed interface Resolved permits Region, Invalid {
    }

    record Region(MultiPolygon geometry) implements Resolved {
    }

    record Invalid(String field, String message) implements Resolved {
    }

    private final JdbcClient jdbc;
    private final CensusDatasets datasets;

    PartnershipRegions(JdbcClient jdbc, CensusDatasets datasets) {
        this.jdbc = jdbc;
        this.datasets = datasets;
    }

    /** {@code field}: the input's path, e.g. {@code input.region}, which errors extend. */
    Resolved resolve(RegionInput in, String field) {
        if ((in.geometry() == null) == (in.census() == null)) {
            return new Invalid(field, "give exactly one of geometry (a GeoJSON Polygon or MultiPolygon) or census "
                    + "(a loaded dataset's area codes)");
        }
        return in.geometry() != null ? geometry(in.geometry(), field + ".geometry")
                : census(in.census(), field + ".census");
    }

    private Resolved geometry(Map<String, Object> json, String field) {
        Geometry g;
        try {
            g = GeoJsonGeometry.read(json);
        } catch (GeoJsonException e) {
            return new Invalid(e.path().isEmpty() ? field : field + "." + e.path(), e.reason());
        }
        if (!(g instanceof Polygon) && !(g instanceof MultiPolygon)) {
            return new Invalid(field, "must be a Polygon or MultiPolygon, got a " + g.getGeometryType());
        }
        if (g.getNumPoints() > MAX_VERTICES) {
            return new Invalid(field, "at most " + MAX_VERTICES + " vertices, got " + g.getNumPoints());
        }
        IsValidOp validity = new IsValidOp(g);
        if (!validity.isValid()) {
            return new Invalid(field, "the polygon is not valid: " + validity.getValidationError());
        }
        Coordinate outside = CanadaExtent.firstOutside(g);
        if (outside != null) {
            return new Invalid(field, "the polygon reaches outside Canada, at longitude " + outside.x + ", latitude "
                    + outside.y);
        }
        return new Region(g instanceof Polygon p ? GeoJsonGeometry.factory().createMultiPolygon(new Polygon[] {p})
                : (MultiPolygon) g);
    }

    private Resolved census(RegionInput.CensusAreas in, String field) {
        if (in.dataset() == null || datasets.find(in.dataset()).isEmpty()) {
            return new Invalid(field + ".dataset", "no census dataset \"" + in.dataset() + "\" is loaded");
        }
        List<String> codes = in.codes() == null ? List.of() : in.codes().stream().distinct().toList();
        if (codes.isEmpty() || codes.size() > MAX_CODES) {
            return new Invalid(field + ".codes", "give 1 to " + MAX_CODES + " area codes");
        }
        record Union(List<String> found, byte[] wkb) {
        }
        Union union = jdbc.sql("""
                SELECT array_agg(code) AS found,
                       ST_AsBinary(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(boundary)), 3))) AS geom
                FROM census_area WHERE dataset_id = :dataset AND code IN (:codes)""")
                .param("dataset", in.dataset()).param("codes", codes)
                .query((ResultSet rs, int n) -> new Union(rs.getArray("found") == null ? List.of()
                        : List.of((String[]) rs.getArray("found").getArray()), rs.getBytes("geom"))).single();
        Set<String> found = new HashSet<>(union.found());
        for (int i = 0; i < in.codes().size(); i++) {
            if (!found.contains(in.codes().get(i))) {
                return new Invalid(field + ".codes[" + i + "]", "dataset " + in.dataset() + " has no area \""
                        + in.codes().get(i) + "\"");
            }
        }
        Geometry g;
        try {
            g = new WKBReader(GeoJsonGeometry.factory()).read(union.wkb());
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned unreadable WKB", e);
        }
        if (g.isEmpty() || !(g instanceof MultiPolygon m)) {
            return new Invalid(field + ".codes", "the areas' union has no area");
        }
        if (!CanadaExtent.contains(g)) {
            return new Invalid(field + ".codes", "the areas' union reaches outside Canada");
        }
        return new Region(m);
    }

    /**
     * The regions of these partnerships as GeoJSON (6 decimals), simplified by {@code toleranceMetres} in
     * Statistics Canada Lambert (EPSG:3347), topology-preserving; partnerships without a region are absent.
     */
    Map<UUID, String> outlines(Collection<UUID> ids, double toleranceMetres) {
        Map<UUID, String> outlines = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return outlines;
        }
        jdbc.sql("""
                SELECT id, ST_AsGeoJSON(ST_Multi(ST_Transform(ST_SimplifyPreserveTopology(
                                            ST_Transform(region, 3347), :tolerance), 4326)), 6) AS outline
                FROM partnership WHERE id IN (:ids) AND region IS NOT NULL""")
                .param("ids", List.copyOf(ids)).param("tolerance", toleranceMetres)
                .query((ResultSet rs) -> {
                    outlines.put(rs.getObject("id", UUID.class), rs.getString("outline"));
                });
        return outlines;
    }

    /** Region areas in km², on the spheroid. */
    Map<UUID, Double> areasKm2(Collection<UUID> ids) {
        Map<UUID, Double> areas = new HashMap<>();
        if (ids.isEmpty()) {
            return areas;
        }
        jdbc.sql("SELECT id, ST_Area(region::geography) / 1e6 AS km2 FROM partnership WHERE id IN (:ids) "
                + "AND region IS NOT NULL").param("ids", new ArrayList<>(ids)).query((ResultSet rs) -> {
                    areas.put(rs.getObject("id", UUID.class), rs.getDouble("km2"));
                });
        return areas;
    }
}
