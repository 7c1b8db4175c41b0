package ca.cmp.hub.coverage;

import java.time.Instant;
import java.util.List;

/** How a figure was computed, from what data and when: the SDL's {@code Method}, shared by every analysis. */
public record AnalysisMethod(String name, String description, List<String> assumptions, String dataVintage,
        String youthMethod, Instant programsAsOf, Instant computedAt, List<String> credits) {
}
