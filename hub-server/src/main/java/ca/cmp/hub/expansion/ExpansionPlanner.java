package ca.cmp.hub.expansion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.expansion.CapacitatedCoveringLocation;
import ca.cmp.hub.geo.expansion.Demand;
import ca.cmp.hub.geo.expansion.DemandCells;
import ca.cmp.hub.geo.expansion.MaximalCoveringLocation;
import ca.cmp.hub.opendata.OpenDataDirectory;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.index.strtree.STRtree;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plans new program sites for a region: today's coverage (exact areal weighting, as {@code coverage()}), the
 * youth it leaves unreached placed on cells ({@link DemandCells}), and a maximal covering location choice among
 * the candidates ({@link MaximalCoveringLocation}, or {@link CapacitatedCoveringLocation} with places per site).
 * Candidates are moved to EPSG:3347 and back by PostGIS, the reference every other analysis uses.
 */
@Component
class ExpansionPlanner {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A candidate site: WGS 84 degrees and an optional label. */
    record Candidate(double latitude, double longitude, String label) {
    }

    record Site(int rank, double latitude, double longitude, String label, double marginalYouth,
            double cumulativeCovered) {
    }

    record Plan(int candidatesConsidered, double youth, double coveredToday, List<Site> sites, List<Double> curve,
            double greedyNewlyCovered, List<String> youthMethods, Instant programsAsOf) {
    }

    private final CoverageAnalysis analysis;
    private final JdbcClient jdbc;
    private final ExpansionProperties properties;

    ExpansionPlanner(CoverageAnalysis analysis, JdbcClient jdbc, ExpansionProperties properties) {
        this.analysis = analysis;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * @param gridKm     when candidates is null: spacing of a grid over the region's areas
     * @param places     places per new site, or null for the uncapacitated plan
     */
    Plan plan(CoverageAnalysis.Request request, List<Candidate> candidates, Double gridKm, int sites, double radiusKm,
            Integer places) {
        CoverageAnalysis.Loaded loaded = analysis.load(request);
        int from = request.filter().minAge();
        int to = request.filter().maxAge();
        ArealCoverage.Result today = ArealCoverage.compute(loaded.units(), loaded.reaches(), from, to);
        STRtree areas = new STRtree();
        Envelope extent = new Envelope();
        for (CensusUnit u : loaded.units()) {
            areas.insert(u.geometry().getEnvelopeInternal(), u);
            extent.expandToInclude(u.geometry().getEnvelopeInternal());
        }
        // Candidates in 3347; only those inside the region's areas are considered.
        List<Candidate> given = candidates != null ? candidates : List.of();
        double[][] xy = candidates != null ? toLambert(given) : grid(extent, gridKm * 1000);
        GeometryFactory factory = new GeometryFactory();
        List<Integer> inside = new ArrayList<>();
        for (int i = 0; i < xy[0].length; i++) {
            Point p = factory.createPoint(new Coordinate(xy[0][i], xy[1][i]));
            for (Object o : areas.query(p.getEnvelopeInternal())) {
                if (((CensusUnit) o).geometry().intersects(p)) {
                    inside.add(i);
                    break;
                }
            }
        }
        if (inside.size() > properties.maxCandidates()) {
            throw new PlanException("candidates", inside.size() + " candidates lie in the region; at most "
                    + properties.maxCandidates() + " per plan (use a coarser grid or a smaller region)");
        }
        if (inside.size() < sites) {
            throw new PlanException("sites", "only " + inside.size() + " candidates lie in the region; ask for at "
                    + "most that many sites");
        }
        double[] cx = new double[inside.size()];
        double[] cy = new double[inside.size()];
        for (int k = 0; k < inside.size(); k++) {
            cx[k] = xy[0][inside.get(k)];
            cy[k] = xy[1][inside.get(k)];
        }
        Demand demand = DemandCells.rasterize(loaded.units(), loaded.reaches(), from, to, properties.cellSize());
        // The radius is ground distance; EPSG:3347 stretches lengths by a few percent away from its standard
        // parallels, so it is scaled by the projection's local factor at the region's centre.
        double radius = radiusKm * 1000 * scale(extent);
        MaximalCoveringLocation.Plan plan = places == null ? MaximalCoveringLocation.solve(demand, cx, cy, radius, sites)
                : CapacitatedCoveringLocation.solve(demand, cx, cy, radius, sites, places);
        double[] chosenX = new double[sites];
        double[] chosenY = new double[sites];
        for (int k = 0; k < sites; k++) {
            chosenX[k] = cx[plan.chosen()[k]];
            chosenY[k] = cy[plan.chosen()[k]];
        }
        double[][] lonLat = toWgs84(chosenX, chosenY);
        List<Site> result = new ArrayList<>(sites);
        List<Double> curve = new ArrayList<>(sites + 1);
        double covered = today.covered();
        curve.add(covered);
        for (int k = 0; k < sites; k++) {
            covered += plan.marginal()[k];
            curve.add(covered);
            int original = inside.get(plan.chosen()[k]);
            String label = candidates != null ? given.get(original).label() : null;
            double lat = candidates != null ? given.get(original).latitude() : lonLat[1][k];
            double lon = candidates != null ? given.get(original).longitude() : lonLat[0][k];
            result.add(new Site(k + 1, lat, lon, label, plan.marginal()[k], covered));
        }
        return new Plan(inside.size(), today.youth(), today.covered(), result, curve, plan.greedyCovered(),
                loaded.youthMethods(), analysis.programsAsOf());
    }

    /** The open-data bundle's Toronto schools, colleges and universities. */
    List<Candidate> torontoSchools() {
        Path data = OpenDataDirectory.find(properties.openDataDir()).orElseThrow(() -> new PlanException(
                "candidates.openData", "the open-data bundle (shared/data) is not available to this hub"));
        try {
            JsonNode root = JSON.readTree(Files.readString(data.resolve("places/toronto_schools.geojson")));
            List<Candidate> schools = new ArrayList<>();
            for (JsonNode f : root.path("features")) {
                JsonNode c = f.path("geometry").path("coordinates");
                schools.add(new Candidate(c.get(1).asDouble(), c.get(0).asDouble(),
                        f.path("properties").path("name").asString(null)));
            }
            return schools;
        } catch (IOException e) {
            throw new PlanException("candidates.openData", "cannot read the Toronto schools: " + e.getMessage());
        }
    }

    /** Planar metres per ground metre at the centre of {@code extent} (EPSG:3347). */
    private double scale(Envelope extent) {
        return jdbc.sql("""
                WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(:x, :y), 3347), 4326) AS p)
                SELECT ST_Distance(ST_Transform(p, 3347),
                                   ST_Transform(ST_Project(p::geography, 1000, radians(90))::geometry, 3347)) / 1000
                FROM c""").param("x", extent.centre().x).param("y", extent.centre().y).query(Double.class).single();
    }

    private double[][] toLambert(List<Candidate> candidates) {
        double[] lon = candidates.stream().mapToDouble(Candidate::longitude).toArray();
        double[] lat = candidates.stream().mapToDouble(Candidate::latitude).toArray();
        return transform(lon, lat, 4326, 3347);
    }

    private double[][] toWgs84(double[] x, double[] y) {
        return transform(x, y, 3347, 4326);
    }

    private double[][] transform(double[] x, double[] y, int from, int to) {
        double[][] out = {new double[x.length], new double[x.length]};
        if (x.length == 0) {
            return out;
        }
        jdbc.sql("""
                SELECT ord, ST_X(p) AS x, ST_Y(p) AS y FROM (
                  SELECT ord, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), :from), :to) AS p
                  FROM unnest(:xs::float8[], :ys::float8[]) WITH ORDINALITY AS t(x, y, ord)) q""")
                .param("xs", x).param("ys", y).param("from", from).param("to", to)
                .query((java.sql.ResultSet rs) -> {
                    int i = rs.getInt("ord") - 1;
                    out[0][i] = rs.getDouble("x");
                    out[1][i] = rs.getDouble("y");
                });
        return out;
    }

    private static double[][] grid(Envelope extent, double spacing) {
        List<double[]> points = new ArrayList<>();
        for (double x = Math.floor(extent.getMinX() / spacing) * spacing + spacing / 2; x < extent.getMaxX();
                x += spacing) {
            for (double y = Math.floor(extent.getMinY() / spacing) * spacing + spacing / 2; y < extent.getMaxY();
                    y += spacing) {
                points.add(new double[] {x, y});
                if (points.size() > 1_000_000) {
                    throw new PlanException("candidates.gridKm", "the grid would have over a million points; "
                            + "use a larger spacing");
                }
            }
        }
        double[][] out = {new double[points.size()], new double[points.size()]};
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    /** The plan cannot be made as asked (an expected outcome: answered as InvalidPlan). */
    static final class PlanException extends RuntimeException {
        final String argument;

        PlanException(String argument, String message) {
            super(message);
            this.argument = argument;
        }
    }
}
