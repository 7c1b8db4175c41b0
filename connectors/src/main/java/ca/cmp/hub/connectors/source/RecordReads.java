package ca.cmp.hub.connectors.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProblem;
import ca.cmp.hub.model.SourceProgram;

/**
 * Reads a source's records on all cores, keeping their order: each record's reading (mapping its columns, parsing
 * its values) depends on nothing but the record, and on a large feed it is most of a connector's time. Progress is
 * told after each chunk of {@link #CHUNK} records, from the calling thread, as a sequential read would tell it.
 */
public final class RecordReads {

    static final int CHUNK = 10_000;

    private RecordReads() {
    }

    /**
     * @param read what record {@code i} reads as; must be safe to call from several threads at once
     * @return the outcome of every record, by position
     */
    public static Object[] inOrder(int count, IntConsumer progress, IntFunction<Object> read) {
        Object[] outcomes = new Object[count];
        for (int start = 0; start < count; start += CHUNK) {
            int end = Math.min(count, start + CHUNK);
            IntStream.range(start, end).parallel().forEach(i -> outcomes[i] = read.apply(i));
            if (end % CHUNK == 0) {
                progress.accept(end);
            }
        }
        return outcomes;
    }

    /**
     * A full snapshot of the outcomes {@link #inOrder} gave, each a {@link SourceProgram} or a
     * {@link SourceProblem}; {@code label} names the record at a position in messages ("line 14").
     */
    public static SourceBatch snapshot(Object[] outcomes, IntFunction<String> label) {
        List<SourceProgram> programs = new ArrayList<>(outcomes.length);
        List<Integer> positions = new ArrayList<>(outcomes.length);
        List<String> labels = new ArrayList<>(outcomes.length);
        List<SourceProblem> problems = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof SourceProgram program) {
                programs.add(program);
                positions.add(i);
                labels.add(label.apply(i) + ": ");
            } else {
                problems.add((SourceProblem) outcomes[i]);
            }
        }
        return new SourceBatch(programs, positions, labels, problems, true);
    }
}
