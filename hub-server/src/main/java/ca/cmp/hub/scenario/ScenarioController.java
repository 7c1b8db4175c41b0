package ca.cmp.hub.scenario;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.coverage.AnalysisArguments.RegionInput;
import ca.cmp.hub.coverage.AnalysisArguments.FilterInput;
import ca.cmp.hub.coverage.AnalysisMethod;
import ca.cmp.hub.coverage.AnalysisArguments;
import ca.cmp.hub.coverage.CoverageRequests;
import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import ca.cmp.hub.security.CurrentCaller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** What-if scenarios: planners and admins save, compare and delete them; every refusal is audited. */
@Controller
class ScenarioController {

    private final Scenarios scenarios;
    private final ScenarioAnalysis analysis;
    private final CoverageRequests requests;
    private final Gate gate;

    ScenarioController(Scenarios scenarios, ScenarioAnalysis analysis, CoverageRequests requests,
            Gate gate) {
        this.scenarios = scenarios;
        this.analysis = analysis;
        this.requests = requests;
        this.gate = gate;
    }

    record ScenarioInput(String name, List<Scenarios.Change> changes) {
    }

    record ScenarioSaved(Scenarios.Scenario scenario) {
    }

    record InvalidScenario(String field, String message) {
    }

    record UnknownScenario(String id, String message) {
    }

    record ScenarioComparison(Scenarios.Scenario scenario, AnalysisMethod method,
            ScenarioAnalysis.Figures today, ScenarioAnalysis.Figures withScenario, ScenarioAnalysis.Comparison raw) {
    }

    @MutationMapping
    Object createScenario(@Argument ScenarioInput scenario) {
        NotAllowed refused = check("createScenario");
        if (refused != null) {
            return refused;
        }
        if (scenario.name() == null || scenario.name().isBlank() || scenario.name().strip().length() > 200) {
            return new InvalidScenario("scenario.name", "is required, at most 200 characters");
        }
        try {
            analysis.check(scenario.changes());
        } catch (ScenarioAnalysis.ScenarioException e) {
            return new InvalidScenario(e.field, e.getMessage());
        }
        return new ScenarioSaved(scenarios.save(scenario.name().strip(), scenario.changes(),
                CurrentCaller.get().subject()));
    }

    @MutationMapping
    Object deleteScenario(@Argument String id) {
        NotAllowed refused = check("deleteScenario");
        if (refused != null) {
            return refused;
        }
        UUID key = Ids.parse("id", id);
        Optional<Scenarios.Scenario> found = scenarios.find(key);
        if (found.isEmpty() || !scenarios.delete(key)) {
            return new UnknownScenario(id, "no scenario has the id " + id);
        }
        return new ScenarioSaved(found.get());
    }

    @QueryMapping(name = "scenarios")
    List<Scenarios.Scenario> all() {
        gate.require(Permission.PLAN, "scenarios", null);
        return scenarios.all();
    }

    @QueryMapping
    Object compareScenario(@Argument String id, @Argument String dataset,
            @Argument RegionInput region, @Argument FilterInput filter) {
        NotAllowed refused = check("compareScenario");
        if (refused != null) {
            return refused;
        }
        Optional<Scenarios.Scenario> scenario = scenarios.find(Ids.parse("id", id));
        if (scenario.isEmpty()) {
            return new UnknownScenario(id, "no scenario has the id " + id);
        }
        try {
            CoverageAnalysis.Request request = requests.request(dataset, region, filter);
            ScenarioAnalysis.Comparison comparison = analysis.compare(request, scenario.get());
            CensusDataset census = request.census();
            AnalysisMethod method = new AnalysisMethod("Scenario comparison",
                    "Today's fitting programs, then the same with the scenario's changes, each evaluated by areal "
                            + "coverage, the two-step floating catchment access index and dissolved gap areas. "
                            + "Today is the analysis kept for this region, filter and data version; the scenario's "
                            + "changes are applied to it incrementally: coverage is evaluated again only in the "
                            + "areas a changed program's old or new service area meets, access only in the areas "
                            + "of its old and new catchment (a program's places per young person depend on its own "
                            + "catchment alone), and gaps are dissolved again only where they meet a changed "
                            + "service area or share an area with such a gap (a gap that reaches a change is "
                            + "always dissolved again whole). The figures equal a full recomputation of both.",
                    List.of("As coverage() and access(): youth spread evenly over their census area.",
                            "Added programs are taken to fit the filter; moved ones keep their ages, radius and "
                                    + "places and are served from the one new location.",
                            "The published programs are not changed."),
                    census.vintage(), String.join("; ", comparison.youthMethods()), comparison.programsAsOf(),
                    java.time.Instant.now(), List.of(census.licence()));
            return new ScenarioComparison(scenario.get(), method, comparison.today(), comparison.withScenario(),
                    comparison);
        } catch (ScenarioAnalysis.ScenarioException e) {
            return new InvalidScenario(e.field, e.getMessage());
        } catch (InvalidArgumentException e) {
            return new InvalidScenario(e.argument(), e.getMessage().substring(e.argument().length() + 2));
        }
    }

    @SchemaMapping(typeName = "ScenarioComparison")
    List<ScenarioAnalysis.AreaRow> areas(ScenarioComparison comparison, @Argument Integer first) {
        int limit = AnalysisArguments.first(first, AnalysisArguments.MAX_AREAS, "first");
        return comparison.raw().areas().stream().limit(limit).toList();
    }

    private NotAllowed check(String action) {
        return gate.check(Permission.PLAN, action, null).orElse(null);
    }
}
