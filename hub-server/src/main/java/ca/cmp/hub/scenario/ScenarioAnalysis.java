package ca.cmp.hub.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.coverage.AnalysisBaseline;
import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.areal.ServiceReach;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A scenario against today, on the same inputs as the coverage analysis: the region's areas and today's fitting
 * reaches, then the same reaches with the scenario's changes applied (a moved or added program's service area is
 * a geodesic buffer computed by PostGIS, as for real programs). Both sides get areal coverage, 2SFCA access and
 * dissolved gaps; nothing is written.
 *
 * <p>Today is the kept analysis of the region, filter and data version ({@link AnalysisBaseline}); the scenario
 * is a trial on it: each change re-evaluates coverage only in the units its old and new service area meet,
 * access in the units of its old and new catchment, and dissolves again only the gaps near it; then everything
 * rolls back. The figures equal a full recomputation of both sides.
 */
@Component
class ScenarioAnalysis {

    record Figures(double youth, double covered, double ratio, double placesPer1000, int gapCount,
            double largestGapYouth) {
    }

    record AreaRow(String code, String name, double youth, double coveredToday, double coveredWithScenario,
            double placesPer1000Today, double placesPer1000WithScenario) {
    }

    record Comparison(Figures today, Figures withScenario, List<AreaRow> areas, List<String> youthMethods,
            Instant programsAsOf) {
    }

    /** A change that cannot apply: the input field and why. */
    static final class ScenarioException extends RuntimeException {
        final String field;

        ScenarioException(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    private record ProgramShape(String kind, Double radiusKm, int minAge, int maxAge, double places, double waitlist) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScenarioAnalysis.class);

    private final CoverageAnalysis analysis;
    private final JdbcClient jdbc;

    ScenarioAnalysis(CoverageAnalysis analysis, JdbcClient jdbc) {
        this.analysis = analysis;
        this.jdbc = jdbc;
    }

    /**
     * Checks the changes against the programs as they are; throws naming the first bad field. Returns the shapes
     * of the programs the changes name, by id.
     */
    Map<String, ProgramShape> check(List<Scenarios.Change> changes) {
        Map<String, ProgramShape> shapes = new java.util.HashMap<>();
        if (changes.isEmpty() || changes.size() > 1000) {
            throw new ScenarioException("scenario.changes", "give 1 to 1,000 changes");
        }
        for (int i = 0; i < changes.size(); i++) {
            Scenarios.Change c = changes.get(i);
            String at = "scenario.changes[" + i + "]";
            if (c.kind() == null) {
                throw new ScenarioException(at + ".kind", "is required");
            }
            boolean needsPlace = c.kind() == Scenarios.Kind.ADD || c.kind() == Scenarios.Kind.MOVE;
            if (needsPlace) {
                if (c.latitude() == null || c.longitude() == null) {
                    throw new ScenarioException(at + ".latitude", "latitude and longitude are required for "
                            + c.kind());
                }
                if (!CanadaExtent.contains(c.latitude(), c.longitude())) {
                    throw new ScenarioException(at + ".latitude", "(" + c.latitude() + ", " + c.longitude()
                            + ") is outside Canada" + (CanadaExtent.looksSwapped(c.latitude(), c.longitude())
                                    ? "; latitude and longitude look swapped" : ""));
                }
            }
            if (c.kind() == Scenarios.Kind.ADD) {
                if (c.radiusKm() == null || !(c.radiusKm() > 0 && c.radiusKm() <= 100)) {
                    throw new ScenarioException(at + ".radiusKm", "must be greater than 0 and at most 100 km");
                }
                int min = c.minAge() == null ? 6 : c.minAge();
                int max = c.maxAge() == null ? 18 : c.maxAge();
                if (min < 0 || max > 120 || min > max) {
                    throw new ScenarioException(at + ".maxAge", "ages must be 0-120 with minAge <= maxAge");
                }
            } else {
                if (c.program() == null) {
                    throw new ScenarioException(at + ".program", "is required for " + c.kind());
                }
                ProgramShape shape = shapes.containsKey(c.program()) ? shapes.get(c.program())
                        : shape(c.program()).orElseThrow(() -> new ScenarioException(at + ".program",
                                "no active program has the id " + c.program()));
                shapes.put(c.program(), shape);
                if (c.kind() == Scenarios.Kind.MOVE && !"RADIUS".equals(shape.kind())) {
                    throw new ScenarioException(at + ".program", "only a program served around its sites can move; "
                            + "this one has a " + shape.kind().toLowerCase() + " service area");
                }
            }
            if ((c.kind() == Scenarios.Kind.CAPACITY) && c.places() == null) {
                throw new ScenarioException(at + ".places", "is required for CAPACITY");
            }
            if (c.places() != null && c.places() < 0) {
                throw new ScenarioException(at + ".places", "must not be negative");
            }
        }
        return shapes;
    }

    Comparison compare(CoverageAnalysis.Request request, Scenarios.Scenario scenario) {
        long t0 = System.nanoTime();
        Map<String, ProgramShape> shapes = check(scenario.changes());
        long t1 = System.nanoTime();
        AnalysisBaseline baseline = analysis.baseline(request);
        long t2 = System.nanoTime();
        List<AnalysisBaseline.Change> changes = changes(baseline, scenario.changes(), shapes);
        long t3 = System.nanoTime();
        AnalysisBaseline.Trial trial = baseline.trial(changes);
        long t4 = System.nanoTime();
        List<AreaRow> rows = new ArrayList<>(trial.areas().size());
        for (AnalysisBaseline.ChangedArea a : trial.areas()) {
            rows.add(new AreaRow(a.area().code(), a.area().name(), a.youth(), a.coveredToday(), a.coveredThen(),
                    a.placesToday(), a.placesThen()));
        }
        rows.sort((x, y) -> Double.compare(Math.abs(y.coveredWithScenario() - y.coveredToday()),
                Math.abs(x.coveredWithScenario() - x.coveredToday())));
        long t5 = System.nanoTime();
        Instant asOf = analysis.programsAsOf();
        if (LOG.isDebugEnabled()) {
            LOG.debug("comparison of {} changes: checked {} ms, kept analysis {} ms, changes built {} ms, trial {} ms, "
                    + "{} rows {} ms, programs' time {} ms", changes.size(), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2),
                    ms(t4 - t3), rows.size(), ms(t5 - t4), ms(System.nanoTime() - t5));
        }
        return new Comparison(figures(trial.today()), figures(trial.then()), rows, baseline.youthMethods(), asOf);
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static Figures figures(AnalysisBaseline.Totals t) {
        return new Figures(t.youth(), t.covered(), t.ratio(), t.placesPer1000(), t.gapCount(), t.largestGapYouth());
    }

    /**
     * The scenario's changes as puts and removals on today's reaches, in order (a change to a program that no
     * fitting reach of the region has, today or after an earlier change, changes nothing, as before).
     */
    private List<AnalysisBaseline.Change> changes(AnalysisBaseline baseline, List<Scenarios.Change> changes,
            Map<String, ProgramShape> shapes) {
        Map<String, Optional<ServiceReach>> now = new java.util.LinkedHashMap<>();
        java.util.function.Function<String, ServiceReach> current = id -> now.containsKey(id)
                ? now.get(id).orElse(null) : baseline.reach(id);
        int added = 0;
        for (Scenarios.Change c : changes) {
            switch (c.kind()) {
                case CLOSE -> {
                    if (current.apply(c.program()) != null) {
                        now.put(c.program(), Optional.empty());
                    }
                }
                case CAPACITY -> {
                    ServiceReach r = current.apply(c.program());
                    if (r != null) {
                        now.put(r.id(), Optional.of(new ServiceReach(r.id(), r.area(), r.minAge(), r.maxAge(),
                                c.places(), r.waitlist())));
                    }
                }
                case MOVE -> {
                    ServiceReach r = current.apply(c.program());
                    if (r != null) {
                        ProgramShape shape = shapes.get(c.program());
                        now.put(r.id(), Optional.of(new ServiceReach(r.id(), disc(c.latitude(), c.longitude(),
                                shape.radiusKm()), r.minAge(), r.maxAge(), r.places(), r.waitlist())));
                    }
                }
                case ADD -> {
                    String id = "scenario-add-" + added++;
                    now.put(id, Optional.of(new ServiceReach(id, disc(c.latitude(), c.longitude(), c.radiusKm()),
                            c.minAge() == null ? 6 : c.minAge(), c.maxAge() == null ? 18 : c.maxAge(),
                            c.places() == null ? 0 : c.places(), 0)));
                }
                default -> throw new IllegalStateException(c.kind().name());
            }
        }
        List<AnalysisBaseline.Change> result = new ArrayList<>();
        now.forEach((id, r) -> result.add(new AnalysisBaseline.Change(id, r.orElse(null))));
        return result;
    }

    private Optional<ProgramShape> shape(String programId) {
        UUID id;
        try {
            id = UUID.fromString(programId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.sql("""
                SELECT service_area_kind, service_radius_km, coalesce(min_age, 6) AS min_age,
                       coalesce(max_age, 18) AS max_age, coalesce(max_matches, 0) AS places,
                       coalesce(waitlist, 0) AS waitlist
                FROM program WHERE id = ? AND status = 'ACTIVE'""").param(id)
                .query((rs, n) -> new ProgramShape(rs.getString("service_area_kind"),
                        (Double) rs.getObject("service_radius_km"), rs.getInt("min_age"), rs.getInt("max_age"),
                        rs.getDouble("places"), rs.getDouble("waitlist"))).optional();
    }

    /**
     * A geodesic disc in EPSG:3347, built like real programs' service areas (PostGIS geography buffer, as many
     * vertices).
     */
    private Geometry disc(double latitude, double longitude, double radiusKm) {
        byte[] wkb = jdbc.sql("""
                SELECT ST_AsBinary(ST_Transform(ST_Buffer(ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, ?)
                                                ::geometry, 3347))""")
                .params(longitude, latitude, radiusKm * 1000, analysis.circleQuadrantSegments()).query(byte[].class)
                .single();
        try {
            return new WKBReader(CoverageAnalysis.LAMBERT).read(wkb);
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned an unreadable disc", e);
        }
    }

}
