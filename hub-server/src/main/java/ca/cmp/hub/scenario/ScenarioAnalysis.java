package ca.cmp.hub.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.areal.AreaFigures;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.GapAreas;
import ca.cmp.hub.geo.areal.ServiceReach;
import ca.cmp.hub.geo.areal.TwoStepFloatingCatchment;
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

    private final CoverageAnalysis analysis;
    private final JdbcClient jdbc;

    ScenarioAnalysis(CoverageAnalysis analysis, JdbcClient jdbc) {
        this.analysis = analysis;
        this.jdbc = jdbc;
    }

    /** Checks the changes against the programs as they are; throws naming the first bad field. */
    void check(List<Scenarios.Change> changes) {
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
                ProgramShape shape = shape(c.program()).orElseThrow(() -> new ScenarioException(at + ".program",
                        "no active program has the id " + c.program()));
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
    }

    Comparison compare(CoverageAnalysis.Request request, Scenarios.Scenario scenario) {
        check(scenario.changes());
        CoverageAnalysis.Loaded loaded = analysis.load(request);
        List<ServiceReach> changed = apply(loaded.reaches(), scenario.changes());
        int from = request.filter().minAge();
        int to = request.filter().maxAge();
        ArealCoverage.Result coverToday = ArealCoverage.compute(loaded.units(), loaded.reaches(), from, to);
        ArealCoverage.Result coverThen = ArealCoverage.compute(loaded.units(), changed, from, to);
        TwoStepFloatingCatchment.Result accessToday = TwoStepFloatingCatchment.compute(loaded.units(),
                loaded.reaches(), from, to);
        TwoStepFloatingCatchment.Result accessThen = TwoStepFloatingCatchment.compute(loaded.units(), changed, from,
                to);
        List<GapAreas.Gap> gapsToday = GapAreas.find(loaded.units(), loaded.reaches(), from, to,
                CoverageAnalysis.SLIVER_M2);
        List<GapAreas.Gap> gapsThen = GapAreas.find(loaded.units(), changed, from, to, CoverageAnalysis.SLIVER_M2);
        List<AreaRow> rows = new ArrayList<>();
        for (int i = 0; i < loaded.units().size(); i++) {
            AreaFigures a = coverToday.areas().get(i);
            AreaFigures b = coverThen.areas().get(i);
            double pa = accessToday.areas().get(i).placesPer1000();
            double pb = accessThen.areas().get(i).placesPer1000();
            if (Math.abs(a.covered() - b.covered()) > 1e-9 || Math.abs(pa - pb) > 1e-9) {
                rows.add(new AreaRow(a.id(), loaded.areas().get(i).name(), a.youth(), a.covered(), b.covered(), pa,
                        pb));
            }
        }
        rows.sort((x, y) -> Double.compare(Math.abs(y.coveredWithScenario() - y.coveredToday()),
                Math.abs(x.coveredWithScenario() - x.coveredToday())));
        return new Comparison(figures(coverToday, accessToday, gapsToday), figures(coverThen, accessThen, gapsThen),
                rows, loaded.youthMethods(), analysis.programsAsOf());
    }

    private static Figures figures(ArealCoverage.Result cover, TwoStepFloatingCatchment.Result access,
            List<GapAreas.Gap> gaps) {
        double largest = gaps.stream().mapToDouble(GapAreas.Gap::unmetYouth).max().orElse(0);
        return new Figures(cover.youth(), cover.covered(), cover.ratio(), access.placesPer1000(), gaps.size(),
                largest);
    }

    private List<ServiceReach> apply(List<ServiceReach> today, List<Scenarios.Change> changes) {
        Map<String, ServiceReach> byId = new java.util.LinkedHashMap<>();
        today.forEach(r -> byId.put(r.id(), r));
        int added = 0;
        for (Scenarios.Change c : changes) {
            switch (c.kind()) {
                case CLOSE -> byId.remove(c.program());
                case CAPACITY -> byId.computeIfPresent(c.program(), (id, r) -> new ServiceReach(id, r.area(),
                        r.minAge(), r.maxAge(), c.places(), r.waitlist()));
                case MOVE -> {
                    ServiceReach r = byId.get(c.program());
                    if (r != null) {
                        ProgramShape shape = shape(c.program()).orElseThrow();
                        byId.put(r.id(), new ServiceReach(r.id(), disc(c.latitude(), c.longitude(), shape.radiusKm()),
                                r.minAge(), r.maxAge(), r.places(), r.waitlist()));
                    }
                }
                case ADD -> {
                    String id = "scenario-add-" + added++;
                    byId.put(id, new ServiceReach(id, disc(c.latitude(), c.longitude(), c.radiusKm()),
                            c.minAge() == null ? 6 : c.minAge(), c.maxAge() == null ? 18 : c.maxAge(),
                            c.places() == null ? 0 : c.places(), 0));
                }
                default -> throw new IllegalStateException(c.kind().name());
            }
        }
        return new ArrayList<>(byId.values());
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
                .params(longitude, latitude, radiusKm * 1000, analysis.circleQuadrantSegments()).query(byte[].class).single();
        try {
            return new WKBReader(CoverageAnalysis.LAMBERT).read(wkb);
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned an unreadable disc", e);
        }
    }

}
