package ca.cmp.hub.coverage;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;

/**
 * The arguments every analysis takes (coverage, access, expansion plans, scenario comparisons), as GraphQL binds
 * them, and the limits on their lists. {@link CoverageRequests} checks them into an {@link CoverageAnalysis.Request}.
 */
public final class AnalysisArguments {

    /** Most ranked gap areas an analysis keeps and returns. */
    public static final int MAX_GAPS = 50;
    /** Most census areas a region names, or a list of areas returns. */
    public static final int MAX_AREAS = 20_000;

    private AnalysisArguments() {
    }

    public record RegionInput(String province, String partnership, Map<String, Object> polygon,
            List<String> areaCodes) {
    }

    public record AgeRangeInput(Integer min, Integer max) {
    }

    public record FilterInput(AgeRangeInput ages, List<MentoringModel> model, List<ProgramSetting> setting,
            List<String> language, List<DeliveryMode> mode, List<String> partnership) {
    }

    /** A list argument's {@code first}: 100 when absent, else 1 to {@code max}, or an error naming the argument. */
    public static int first(Integer first, int max, String argument) {
        int limit = first == null ? 100 : first;
        if (limit < 1 || limit > max) {
            throw new InvalidArgumentException(argument, "must be from 1 to " + max + ", got " + limit);
        }
        return limit;
    }
}
