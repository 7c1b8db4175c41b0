package ca.cmp.hub.model;

import java.util.List;

/**
 * What one read of a source gave: the programs it lists (positions line up with {@link SourceProblem#position()}
 * through {@code positions}), the records it could not read, and whether it is the source's complete list, so
 * that programs missing from it may be retired.
 *
 * @param positions the source position of each program, same length as {@code programs}
 * @param labels    how each program is named in messages, ending with a separator ("line 14: ", "features[3].")
 * @param complete  true for a full snapshot; false for an incremental (changed-since) read
 * @param retired   source ids the source itself says are retired (an upstream hub's RETIRED programs, read
 *                  incrementally): retired here too, whatever the batch's completeness
 */
public record SourceBatch(List<SourceProgram> programs, List<Integer> positions, List<String> labels,
        List<SourceProblem> problems,
        boolean complete, List<String> retired) {

    public SourceBatch {
        if (positions.size() != programs.size() || labels.size() != programs.size()) {
            throw new IllegalArgumentException("one position and one label per program");
        }
        retired = retired == null ? List.of() : List.copyOf(retired);
    }

    /** A batch of sources that cannot say a record is retired (they only stop listing it). */
    public SourceBatch(List<SourceProgram> programs, List<Integer> positions, List<String> labels,
            List<SourceProblem> problems, boolean complete) {
        this(programs, positions, labels, problems, complete, List.of());
    }

    /** Records read from the source, readable or not. */
    public int recordsRead() {
        return programs.size() + retired.size()
                + (int) problems.stream().map(SourceProblem::position).distinct().count();
    }
}
