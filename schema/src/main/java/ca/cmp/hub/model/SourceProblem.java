package ca.cmp.hub.model;

/**
 * A record of the source that could not be read into a {@link SourceProgram}: its position (0-based, in the
 * source's order), its id there when known, where in the source the problem is (e.g. {@code line 14: latitude},
 * {@code features[3].properties.min_age}) and why.
 */
public record SourceProblem(int position, String sourceId, String field, String reason) {
}
