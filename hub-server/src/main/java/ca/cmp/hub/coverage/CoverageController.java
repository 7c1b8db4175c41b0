package ca.cmp.hub.coverage;

import java.util.ArrayList;
import java.util.List;

import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.census.SmallAreaProtection;
import ca.cmp.hub.coverage.AnalysisArguments.FilterInput;
import ca.cmp.hub.coverage.AnalysisArguments.RegionInput;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Coverage, gaps and access for planners and funders. The public (no token) sees figures under small-area
 * protection; funders, planners and admins see them unrounded.
 */
@Controller
class CoverageController {

    private final CoverageAnalysis analysis;
    private final SmallAreaProtection privacy;
    private final CoverageRequests requests;
    private final Gate gate;

    CoverageController(CoverageAnalysis analysis, SmallAreaProtection privacy, CoverageRequests requests,
            Gate gate) {
        this.gate = gate;
        this.analysis = analysis;
        this.privacy = privacy;
        this.requests = requests;
    }

    record Figures(Double youth, Double covered, Double uncovered, Double ratio, boolean suppressed) {
    }

    record AreaCoverage(String code, String name, String province, Figures figures, double coveredAreaShare,
            int programsReaching) {
    }

    record GapArea(int rank, String geometry, Double unmetYouth, double areaKm2, Double density, List<String> areaCodes) {
    }

    record CoverageReport(CensusDataset dataset, AnalysisMethod method, Figures totals, CoverageAnalysis.Figures raw,
            CoverageAnalysis.Request request, boolean detailed) {
    }

    record AreaAccess(String code, String name, Double youth, double placesPer1000) {
    }

    record AccessReport(CensusDataset dataset, AnalysisMethod method, Double placesPer1000, CoverageAnalysis.Access raw,
            boolean detailed) {
    }

    @QueryMapping
    CoverageReport coverage(@Argument String dataset, @Argument RegionInput region, @Argument FilterInput filter) {
        CoverageAnalysis.Request request = requests.request(dataset, region, filter);
        CensusDataset census = request.census();
        CoverageAnalysis.Figures raw = analysis.coverage(request);
        boolean detailed = detailed();
        AnalysisMethod method = new AnalysisMethod("Areal-weighting coverage",
                "Youth aged " + request.filter().minAge() + "-" + request.filter().maxAge() + " of each census area "
                        + "are counted covered in the share of the area's land that lies inside the service area of "
                        + "at least one ACTIVE program serving their age and matching the filter.",
                List.of("Youth are spread evenly over the land of their census area (areal weighting).",
                        "A program serves everyone within its service area: a geodesic radius around each site, "
                                + "its published polygon, or its partnership's region for virtual programs.",
                        "Programs that state no ages are taken to serve ages 6 to 18.",
                        "Capacity is not considered here; see access() for places per 1,000 youth."),
                census.vintage(), String.join("; ", raw.youthMethods()), raw.programsAsOf(), raw.computedAt(),
                List.of(census.licence()));
        return new CoverageReport(census, method, figures(raw.youth(), raw.covered(), detailed), raw, request,
                detailed);
    }

    @SchemaMapping(typeName = "CoverageReport")
    List<AreaCoverage> areas(CoverageReport report, @Argument Integer first) {
        int limit = AnalysisArguments.first(first, AnalysisArguments.MAX_AREAS, "first");
        List<CoverageAnalysis.AreaRow> rows = new ArrayList<>(report.raw().areas());
        rows.sort((a, b) -> Double.compare(b.youth() - b.covered(), a.youth() - a.covered()));
        return rows.stream().limit(limit).map(r -> new AreaCoverage(r.code(), r.name(), r.province(),
                figures(r.youth(), r.covered(), report.detailed()), r.coveredAreaShare(), r.programsReaching()))
                .toList();
    }

    @SchemaMapping(typeName = "CoverageReport")
    List<GapArea> gaps(CoverageReport report, @Argument Integer first) {
        int limit = AnalysisArguments.first(first, AnalysisArguments.MAX_GAPS, "first");
        List<CoverageAnalysis.GapRow> gaps = analysis.gaps(report.request()).gaps();
        List<GapArea> result = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, gaps.size()); i++) {
            CoverageAnalysis.GapRow g = gaps.get(i);
            Double unmet = report.detailed() ? Double.valueOf(g.unmetYouth()) : privacy.publish(g.unmetYouth());
            result.add(new GapArea(i + 1, g.geometry(), unmet, g.areaKm2(),
                    unmet == null || g.areaKm2() == 0 ? null : unmet / g.areaKm2(), g.areaCodes()));
        }
        return result;
    }

    @QueryMapping
    AccessReport access(@Argument String dataset, @Argument RegionInput region, @Argument FilterInput filter) {
        CoverageAnalysis.Request request = requests.request(dataset, region, filter);
        CensusDataset census = request.census();
        CoverageAnalysis.Access raw = analysis.access(request);
        AnalysisMethod method = new AnalysisMethod("Two-step floating catchment (2SFCA)",
                "Step 1: each program's places divided by the youth within its service area whose ages it serves, "
                        + "plus its waitlist. Step 2: each census area sums the ratios of the programs reaching it, "
                        + "per age; reported as places per 1,000 youth.",
                List.of("A census area's youth are placed at one point inside it.",
                        "Places are a program's maximum matches; waitlisted youth count as unmet demand.",
                        "Programs without a stated capacity add no places."),
                census.vintage(), String.join("; ", raw.youthMethods()), raw.programsAsOf(), raw.computedAt(),
                List.of(census.licence()));
        return new AccessReport(census, method, raw.placesPer1000(), raw, detailed());
    }

    @SchemaMapping(typeName = "AccessReport")
    List<AreaAccess> areas(AccessReport report, @Argument Integer first) {
        int limit = AnalysisArguments.first(first, AnalysisArguments.MAX_AREAS, "first");
        return report.raw().areas().stream().sorted((a, b) -> Double.compare(a.placesPer1000(), b.placesPer1000()))
                .limit(limit).map(a -> new AreaAccess(a.code(), a.name(),
                        report.detailed() ? Double.valueOf(a.youth()) : privacy.publish(a.youth()), a.placesPer1000()))
                .toList();
    }

    private Figures figures(double youth, double covered, boolean detailed) {
        double ratio = youth == 0 ? 0 : covered / youth;
        if (detailed) {
            return new Figures(youth, covered, Math.max(0, youth - covered), ratio, false);
        }
        if (privacy.suppresses(youth)) {
            return new Figures(null, null, null, null, true);
        }
        return new Figures(privacy.publish(youth), privacy.publish(covered), privacy.publish(Math.max(0, youth - covered)),
                ratio, false);
    }

    private boolean detailed() {
        return gate.allows(Permission.READ_DETAILED_FIGURES);
    }

}
