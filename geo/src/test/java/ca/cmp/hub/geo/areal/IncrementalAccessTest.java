package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The access index moved by changes equals a full 2SFCA on the changed programs; a trial rolls back exactly. */
class IncrementalAccessTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void movedByChangesEqualsFull(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = IncrementalCoverageTest.grid(random);
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            reaches.add(IncrementalCoverageTest.randomReach("p" + i, random));
        }
        IncrementalAccess access = IncrementalAccess.of(units, reaches, 8, 16);
        assertSame(access, TwoStepFloatingCatchment.compute(units, reaches, 8, 16));
        for (int step = 0; step < 12; step++) {
            int action = random.nextInt(4);
            if (action == 0) {
                ServiceReach added = IncrementalCoverageTest.randomReach("n" + step, random);
                reaches.add(added);
                access.put(added);
            } else if (action == 1) {
                ServiceReach moved = IncrementalCoverageTest.randomReach(
                        reaches.get(random.nextInt(reaches.size())).id(), random);
                reaches.removeIf(r -> r.id().equals(moved.id()));
                reaches.add(moved);
                access.put(moved);
            } else if (action == 2) {
                int i = random.nextInt(reaches.size());
                ServiceReach r = reaches.get(i);
                ServiceReach capacity = new ServiceReach(r.id(), r.area(), r.minAge(), r.maxAge(),
                        random.nextInt(80), r.waitlist());
                reaches.set(i, capacity);
                access.put(capacity);
            } else {
                access.remove(reaches.remove(random.nextInt(reaches.size())).id());
            }
            assertSame(access, TwoStepFloatingCatchment.compute(units, reaches, 8, 16));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void aTrialRollsBackExactly(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = IncrementalCoverageTest.grid(random);
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            reaches.add(IncrementalCoverageTest.randomReach("p" + i, random));
        }
        IncrementalAccess access = IncrementalAccess.of(units, reaches, 6, 18);
        TwoStepFloatingCatchment.Result before = access.result();
        access.checkpoint();
        access.remove(reaches.get(0).id());
        access.put(IncrementalCoverageTest.randomReach("new", random));
        access.put(IncrementalCoverageTest.randomReach(reaches.get(1).id(), random));
        assertThat(access.placesPer1000()).isNotEqualTo(before.placesPer1000());
        access.rollback();
        assertThat(access.result()).isEqualTo(before);
    }

    static void assertSame(IncrementalAccess actual, TwoStepFloatingCatchment.Result expected) {
        TwoStepFloatingCatchment.Result a = actual.result();
        assertThat(a.placesPer1000()).isCloseTo(expected.placesPer1000(), within(1e-9 * Math.max(1,
                expected.placesPer1000())));
        for (int k = 0; k < expected.areas().size(); k++) {
            assertThat(a.areas().get(k).id()).isEqualTo(expected.areas().get(k).id());
            assertThat(a.areas().get(k).placesPer1000()).as(a.areas().get(k).id()).isCloseTo(
                    expected.areas().get(k).placesPer1000(), within(1e-9 * Math.max(1,
                            expected.areas().get(k).placesPer1000())));
        }
    }
}
