package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gaps moved by changes (only the gaps near a change dissolved again) equal {@link GapAreas#find} on the changed
 * programs: the same gaps, unmet youth, areas and units; {@link IncrementalGaps#with} leaves the state as it was.
 */
class IncrementalGapsTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026, 7, 8})
    void movedByChangesEqualsFull(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = IncrementalCoverageTest.grid(random);
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            // Some blanket programs too: units covered whole by several, pieces along many edges.
            reaches.add(i % 6 == 0 && seed > 5 ? IncrementalCoverageTest.blanket("b" + i, random)
                    : IncrementalCoverageTest.randomReach("p" + i, random));
        }
        IncrementalCoverage coverage = IncrementalCoverage.of(units, reaches, 6, 18);
        IncrementalGaps gaps = IncrementalGaps.of(coverage, 100);
        assertSameGaps(gaps.gaps(), GapAreas.find(units, reaches, 6, 18, 100));
        for (int step = 0; step < 10; step++) {
            List<String> changed = new ArrayList<>();
            int action = random.nextInt(3);
            if (action == 0) {
                ServiceReach added = IncrementalCoverageTest.randomReach("n" + step, random);
                reaches.add(added);
                changed.addAll(coverage.put(added));
            } else if (action == 1) {
                ServiceReach moved = IncrementalCoverageTest.randomReach(
                        reaches.get(random.nextInt(reaches.size())).id(), random);
                reaches.removeIf(r -> r.id().equals(moved.id()));
                reaches.add(moved);
                changed.addAll(coverage.put(moved));
            } else {
                ServiceReach closed = reaches.remove(random.nextInt(reaches.size()));
                changed.addAll(coverage.remove(closed.id()));
            }
            List<GapAreas.Gap> full = GapAreas.find(units, reaches, 6, 18, 100);
            List<GapAreas.Gap> before = gaps.gaps();
            assertSameGaps(gaps.with(changed), full);
            assertThat(gaps.gaps()).isEqualTo(before);
            gaps.advance(changed);
            assertSameGaps(gaps.gaps(), full);
        }
    }

    static void assertSameGaps(List<GapAreas.Gap> actual, List<GapAreas.Gap> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        Comparator<GapAreas.Gap> order = Comparator.comparing((GapAreas.Gap g) -> g.unitIds().toString())
                .thenComparingDouble(GapAreas.Gap::area);
        List<GapAreas.Gap> a = actual.stream().sorted(order).toList();
        List<GapAreas.Gap> e = expected.stream().sorted(order).toList();
        for (int i = 0; i < e.size(); i++) {
            assertThat(a.get(i).unitIds()).isEqualTo(e.get(i).unitIds());
            assertThat(a.get(i).area()).isCloseTo(e.get(i).area(), within(1e-6 * Math.max(1, e.get(i).area())));
            assertThat(a.get(i).unmetYouth()).isCloseTo(e.get(i).unmetYouth(), within(1e-9 * Math.max(1,
                    e.get(i).unmetYouth())));
        }
        for (int i = 1; i < actual.size(); i++) {
            assertThat(actual.get(i).unmetYouth()).isLessThanOrEqualTo(actual.get(i - 1).unmetYouth());
        }
    }
}
