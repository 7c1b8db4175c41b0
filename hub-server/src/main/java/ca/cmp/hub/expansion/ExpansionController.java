package ca.cmp.hub.expansion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.coverage.AnalysisArguments.RegionInput;
import ca.cmp.hub.coverage.AnalysisArguments.FilterInput;
import ca.cmp.hub.coverage.AnalysisMethod;
import ca.cmp.hub.coverage.CoverageRequests;
import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Expansion plans for planners: every expected refusal is an {@code InvalidPlan} or {@code NotAllowed}. */
@Controller
class ExpansionController {

    private final ExpansionPlanner planner;
    private final CoverageRequests requests;
    private final ExpansionProperties properties;
    private final Gate gate;

    ExpansionController(ExpansionPlanner planner, CoverageRequests requests,
            ExpansionProperties properties, Gate gate) {
        this.planner = planner;
        this.requests = requests;
        this.properties = properties;
        this.gate = gate;
    }

    record CandidatePointInput(Double latitude, Double longitude, String label) {
    }

    record CandidatesInput(List<CandidatePointInput> points, String openData, Double gridKm) {
    }

    record ExpansionPlan(CensusDataset dataset, AnalysisMethod method, int candidatesConsidered,
            double youth, double coveredToday, List<ExpansionPlanner.Site> sites, List<Double> curve,
            double greedyNewlyCovered) {
    }

    record InvalidPlan(String argument, String message) {
    }

    @QueryMapping
    Object expansionPlan(@Argument String dataset, @Argument RegionInput region,
            @Argument int sites, @Argument double radiusKm, @Argument CandidatesInput candidates,
            @Argument FilterInput filter, @Argument Integer placesPerSite) {
        Optional<NotAllowed> refused = gate.check(Permission.PLAN, "expansionPlan", null);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            if (sites < 1 || sites > properties.maxSites()) {
                return new InvalidPlan("sites", "must be from 1 to " + properties.maxSites() + ", got " + sites);
            }
            if (!(radiusKm > 0 && radiusKm <= 100)) {
                return new InvalidPlan("radiusKm", "must be greater than 0 and at most 100 km, got " + radiusKm);
            }
            if (placesPerSite != null && placesPerSite < 1) {
                return new InvalidPlan("placesPerSite", "must be at least 1, got " + placesPerSite);
            }
            CoverageAnalysis.Request request = requests.request(dataset, region, filter);
            List<ExpansionPlanner.Candidate> points = candidates(candidates);
            Double grid = points == null ? candidates.gridKm() : null;
            ExpansionPlanner.Plan plan = planner.plan(request, points, grid, sites, radiusKm, placesPerSite);
            CensusDataset census = request.census();
            return new ExpansionPlan(census, method(request, census, plan, radiusKm, placesPerSite),
                    plan.candidatesConsidered(), plan.youth(), plan.coveredToday(), plan.sites(), plan.curve(),
                    plan.greedyNewlyCovered());
        } catch (InvalidArgumentException e) {
            return new InvalidPlan(e.argument(), e.getMessage().substring(e.argument().length() + 2));
        } catch (ExpansionPlanner.PlanException e) {
            return new InvalidPlan(e.argument, e.getMessage());
        }
    }

    /** The candidate points, or null for a grid; refusals name the argument. */
    private List<ExpansionPlanner.Candidate> candidates(CandidatesInput in) {
        int given = (in.points() != null ? 1 : 0) + (in.openData() != null ? 1 : 0) + (in.gridKm() != null ? 1 : 0);
        if (given != 1) {
            throw new ExpansionPlanner.PlanException("candidates", "give exactly one of points, openData or gridKm");
        }
        if (in.gridKm() != null) {
            if (!(in.gridKm() >= 0.2 && in.gridKm() <= 100)) {
                throw new ExpansionPlanner.PlanException("candidates.gridKm", "must be from 0.2 to 100 km, got "
                        + in.gridKm());
            }
            return null;
        }
        if (in.openData() != null) {
            return planner.torontoSchools();
        }
        if (in.points().size() > properties.maxCandidates()) {
            throw new ExpansionPlanner.PlanException("candidates.points", "at most " + properties.maxCandidates()
                    + " candidates, got " + in.points().size());
        }
        List<ExpansionPlanner.Candidate> points = new ArrayList<>(in.points().size());
        for (int i = 0; i < in.points().size(); i++) {
            CandidatePointInput p = in.points().get(i);
            if (!CanadaExtent.contains(p.latitude(), p.longitude())) {
                throw new ExpansionPlanner.PlanException("candidates.points[" + i + "]", "(" + p.latitude() + ", "
                        + p.longitude() + ") is outside Canada"
                        + (CanadaExtent.looksSwapped(p.latitude(), p.longitude())
                                ? "; latitude and longitude look swapped" : ""));
            }
            points.add(new ExpansionPlanner.Candidate(p.latitude(), p.longitude(), p.label()));
        }
        return points;
    }

    private AnalysisMethod method(CoverageAnalysis.Request request, CensusDataset census,
            ExpansionPlanner.Plan plan, double radiusKm, Integer places) {
        return new AnalysisMethod(places == null ? "Maximal covering location (lazy greedy + swaps)"
                : "Capacity-aware maximal covering location (lazy greedy)",
                "New sites are chosen one at a time for the most youth aged " + request.filter().minAge() + "-"
                        + request.filter().maxAge() + " within " + radiusKm + " km whom no fitting program reaches"
                        + " today" + (places == null ? ", then improved by exchanging chosen and unchosen sites"
                                + " while any exchange adds youth." : "; each site counts at most its " + places
                                + " places, taken nearest first."),
                List.of("Youth are spread evenly over the land of their census area (areal weighting), placed on "
                        + "a " + (int) properties.cellSize() + " m grid for planning.",
                        "Existing ACTIVE programs matching the filter keep their service areas.",
                        "A new site serves every planned age within the radius (ground distance, applied in EPSG:3347 "
                                + "with the projection's scale at the region's centre).",
                        "Greedy choice is within 1 - 1/e of the best possible; the exchange search closes most of "
                                + "the rest (at least 95% of the exhaustive optimum on the test set)."),
                census.vintage(), String.join("; ", plan.youthMethods()), plan.programsAsOf(), java.time.Instant.now(),
                List.of(census.licence(), "Candidate places: City of Toronto open data (schools) where used"));
    }
}
