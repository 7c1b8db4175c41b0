package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/** What-if changes evaluated incrementally equal a full recomputation, on seeded random instances. */
class IncrementalCoverageTest {

    static final GeometryFactory F = new GeometryFactory();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void incrementalEqualsFull(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = new ArrayList<>();
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 20; y++) {
                double[] ages = new double[13];
                for (int a = 0; a < 13; a++) {
                    ages[a] = random.nextInt(50);
                }
                units.add(new CensusUnit(x + ":" + y, ArealCoverageTest.box(x * 1_000, y * 1_000, (x + 1) * 1_000,
                        (y + 1) * 1_000), ages));
            }
        }
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            reaches.add(randomReach("p" + i, random));
        }
        IncrementalCoverage incremental = IncrementalCoverage.of(units, reaches, 6, 18);
        for (int step = 0; step < 10; step++) {
            int action = random.nextInt(3);
            if (action == 0) {
                ServiceReach added = randomReach("new" + step, random);
                reaches.add(added);
                incremental.put(added);
            } else if (action == 1 && !reaches.isEmpty()) {
                ServiceReach moved = randomReach(reaches.get(random.nextInt(reaches.size())).id(), random);
                reaches.removeIf(r -> r.id().equals(moved.id()));
                reaches.add(moved);
                incremental.put(moved);
            } else if (!reaches.isEmpty()) {
                ServiceReach closed = reaches.remove(random.nextInt(reaches.size()));
                incremental.remove(closed.id());
            }
            ArealCoverage.Result full = ArealCoverage.compute(units, reaches, 6, 18);
            assertThat(incremental.covered()).isCloseTo(full.covered(), within(1e-6));
            assertSameFigures(incremental.result(), full);
        }
    }

    /**
     * Dense coverage, as in a city: reaches serving every age blanket most units, so most what-if changes fall
     * on units another reach already contains (the incremental shortcut); it must still equal a full
     * recomputation, including the count of programs reaching each unit.
     */
    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8})
    void incrementalEqualsFullUnderBlanketCoverage(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = new ArrayList<>();
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 20; y++) {
                double[] ages = new double[13];
                for (int a = 0; a < 13; a++) {
                    ages[a] = random.nextInt(50);
                }
                units.add(new CensusUnit(x + ":" + y, ArealCoverageTest.box(x * 1_000, y * 1_000, (x + 1) * 1_000,
                        (y + 1) * 1_000), ages));
            }
        }
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            reaches.add(blanket("b" + i, random));
        }
        for (int i = 0; i < 10; i++) {
            reaches.add(randomReach("p" + i, random));
        }
        IncrementalCoverage incremental = IncrementalCoverage.of(units, reaches, 6, 18);
        for (int step = 0; step < 16; step++) {
            ServiceReach target = reaches.get(random.nextInt(reaches.size()));
            int action = random.nextInt(4);
            if (action == 0) {
                ServiceReach moved = target.id().startsWith("b") ? blanket(target.id(), random)
                        : randomReach(target.id(), random);
                reaches.removeIf(r -> r.id().equals(moved.id()));
                reaches.add(moved);
                incremental.put(moved);
            } else if (action == 1) {
                reaches.remove(target);
                incremental.remove(target.id());
            } else {
                ServiceReach added = action == 2 ? randomReach("n" + step, random) : blanket("nb" + step, random);
                reaches.add(added);
                incremental.put(added);
            }
            ArealCoverage.Result full = ArealCoverage.compute(units, reaches, 6, 18);
            assertThat(incremental.covered()).isCloseTo(full.covered(), within(1e-6));
            assertSameFigures(incremental.result(), full);
        }
    }

    /**
     * Large units (a holed square, a star of many vertices, two parts), as census divisions are: a change is
     * measured inside the old and new service areas' envelopes only, and must still equal a full recomputation.
     * Reaches include multi-site unions (not convex) and programs sharing a site.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void incrementalEqualsFullOnLargeUnits(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = new ArrayList<>();
        Geometry holed = ArealCoverageTest.box(0, 0, 12_000, 20_000).difference(ArealCoverageTest.box(3_000, 4_000,
                7_000, 9_000));
        Geometry star = ReachGridTest.star(17_000, 10_000, 6_000, random);
        Geometry parts = ArealCoverageTest.box(0, 21_000, 8_000, 26_000).union(ArealCoverageTest.box(10_000, 21_000,
                20_000, 24_000));
        for (Geometry g : new Geometry[] {holed, star, parts}) {
            double[] ages = new double[13];
            for (int a = 0; a < 13; a++) {
                ages[a] = 100 + random.nextInt(400);
            }
            units.add(new CensusUnit("big" + units.size(), g, ages));
        }
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            reaches.add(randomReach("p" + i, random));
        }
        reaches.add(new ServiceReach("two-sites", reaches.get(0).area().union(reaches.get(1).area()), 6, 18, 0, 0));
        reaches.add(new ServiceReach("same-site", reaches.get(2).area(), 6, 18, 0, 0));
        IncrementalCoverage incremental = IncrementalCoverage.of(units, reaches, 6, 18);
        for (int step = 0; step < 12; step++) {
            int action = random.nextInt(3);
            if (action == 0) {
                ServiceReach added = step % 4 == 0 ? blanket("nb" + step, random) : randomReach("n" + step, random);
                reaches.add(added);
                incremental.put(added);
            } else if (action == 1) {
                ServiceReach moved = randomReach(reaches.get(random.nextInt(reaches.size())).id(), random);
                reaches.removeIf(r -> r.id().equals(moved.id()));
                reaches.add(moved);
                incremental.put(moved);
            } else {
                ServiceReach closed = reaches.remove(random.nextInt(reaches.size()));
                incremental.remove(closed.id());
            }
            ArealCoverage.Result full = ArealCoverage.compute(units, reaches, 6, 18);
            assertThat(incremental.covered()).as("seed %d step %d", seed, step).isCloseTo(full.covered(),
                    within(1e-6));
            assertSameFigures(incremental.result(), full);
        }
    }

    /**
     * A trial (changes between checkpoint and rollback) gives the changed figures, and the rollback returns the
     * state bit for bit to the checkpoint's: many trials on one instance accumulate no rounding.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void aTrialRollsBackExactly(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = grid(random);
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            reaches.add(i % 3 == 0 ? blanket("p" + i, random) : randomReach("p" + i, random));
        }
        IncrementalCoverage incremental = IncrementalCoverage.of(units, reaches, 6, 18);
        ArealCoverage.Result before = incremental.result();
        for (int trial = 0; trial < 5; trial++) {
            incremental.checkpoint();
            List<ServiceReach> changed = new ArrayList<>(reaches);
            ServiceReach moved = randomReach(reaches.get(random.nextInt(reaches.size())).id(), random);
            changed.removeIf(r -> r.id().equals(moved.id()));
            changed.add(moved);
            incremental.put(moved);
            ServiceReach closed = changed.remove(random.nextInt(changed.size()));
            incremental.remove(closed.id());
            ServiceReach added = randomReach("t" + trial, random);
            changed.add(added);
            incremental.put(added);
            assertSameFigures(incremental.result(), ArealCoverage.compute(units, changed, 6, 18));
            incremental.rollback();
            assertThat(incremental.result()).isEqualTo(before);
            assertThat(incremental.reach(added.id())).isNull();
            assertThat(incremental.reach(closed.id())).isNotNull();
        }
        // And the state still moves correctly after the trials.
        ServiceReach moved = randomReach(reaches.get(0).id(), random);
        reaches.set(0, moved);
        incremental.put(moved);
        assertSameFigures(incremental.result(), ArealCoverage.compute(units, reaches, 6, 18));
    }

    /**
     * Many changes applied at once, as after a write (programs moved, added and closed, most meeting the same
     * units, on small and large units alike), equal a full recomputation; so does a batch inside a trial, which
     * rolls back exactly.
     */
    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34})
    void aBatchOfChangesEqualsFull(long seed) {
        Random random = new Random(seed);
        List<CensusUnit> units = grid(random);
        units.add(new CensusUnit("big", ReachGridTest.star(10_000, 30_000, 9_000, random), grid(random).get(0)
                .youthByAge()));
        List<ServiceReach> reaches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reaches.add(i % 3 == 0 ? blanket("p" + i, random) : randomReach("p" + i, random));
        }
        IncrementalCoverage incremental = IncrementalCoverage.of(units, reaches, 6, 18);
        for (int step = 0; step < 6; step++) {
            boolean trial = step % 2 == 1;
            if (trial) {
                incremental.checkpoint();
            }
            ArealCoverage.Result before = incremental.result();
            List<ServiceReach> changed = new ArrayList<>(reaches);
            List<ServiceReach> puts = new ArrayList<>();
            List<String> removals = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                ServiceReach target = changed.get(random.nextInt(changed.size()));
                if (puts.stream().anyMatch(r -> r.id().equals(target.id()))) {
                    continue;
                }
                ServiceReach moved = target.id().startsWith("p0") || k % 3 == 0 ? blanket(target.id(), random)
                        : randomReach(target.id(), random);
                changed.remove(target);
                changed.add(moved);
                puts.add(moved);
            }
            ServiceReach added = randomReach("n" + step, random);
            changed.add(added);
            puts.add(added);
            ServiceReach closed = changed.stream().filter(r -> puts.stream().noneMatch(p -> p.id().equals(r.id())))
                    .findFirst().orElseThrow();
            changed.remove(closed);
            removals.add(closed.id());
            List<String> reported = incremental.apply(puts, removals);
            ArealCoverage.Result full = ArealCoverage.compute(units, changed, 6, 18);
            assertThat(incremental.covered()).as("seed %d step %d", seed, step).isCloseTo(full.covered(),
                    within(1e-6));
            assertSameFigures(incremental.result(), full);
            // Every unit whose figures changed is reported.
            for (int u = 0; u < before.areas().size(); u++) {
                if (!before.areas().get(u).equals(incremental.result().areas().get(u))) {
                    assertThat(reported).contains(before.areas().get(u).id());
                }
            }
            if (trial) {
                incremental.rollback();
                assertThat(incremental.result()).isEqualTo(before);
            } else {
                reaches = changed;
            }
        }
    }

    static List<CensusUnit> grid(Random random) {
        List<CensusUnit> units = new ArrayList<>();
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 20; y++) {
                double[] ages = new double[13];
                for (int a = 0; a < 13; a++) {
                    ages[a] = random.nextInt(50);
                }
                units.add(new CensusUnit(x + ":" + y, ArealCoverageTest.box(x * 1_000, y * 1_000, (x + 1) * 1_000,
                        (y + 1) * 1_000), ages));
            }
        }
        return units;
    }

    static ServiceReach blanket(String id, Random random) {
        return new ServiceReach(id, F.createPoint(new Coordinate(random.nextDouble() * 20_000,
                random.nextDouble() * 20_000)).buffer(4_000 + random.nextDouble() * 3_000, 32), 6, 18, 20, 0);
    }

    static ServiceReach randomReach(String id, Random random) {
        int min = 6 + random.nextInt(8);
        return new ServiceReach(id, F.createPoint(new Coordinate(random.nextDouble() * 20_000,
                random.nextDouble() * 20_000)).buffer(1_000 + random.nextDouble() * 3_000,
                random.nextBoolean() ? 16 : CircleVertices.quadrantSegments(1e-4)), min,
                min + random.nextInt(19 - min), random.nextInt(30), random.nextInt(10));
    }

    /**
     * Unit by unit: the same programs reaching, and covered youth and share equal up to the last bits (the full
     * computation finds reaches in another order, so its floating-point sums may round differently).
     */
    static void assertSameFigures(ArealCoverage.Result actual, ArealCoverage.Result expected) {
        java.util.Map<String, AreaFigures> byId = new java.util.HashMap<>();
        actual.areas().forEach(f -> byId.put(f.id(), f));
        assertThat(byId).hasSize(expected.areas().size());
        for (AreaFigures e : expected.areas()) {
            AreaFigures a = byId.get(e.id());
            assertThat(a).as(e.id()).isNotNull();
            assertThat(a.programsReaching()).as(e.id()).isEqualTo(e.programsReaching());
            assertThat(a.youth()).as(e.id()).isEqualTo(e.youth());
            assertThat(a.covered()).as(e.id()).isCloseTo(e.covered(), within(1e-9 * Math.max(1, e.youth())));
            assertThat(a.coveredAreaShare()).as(e.id()).isCloseTo(e.coveredAreaShare(), within(1e-9));
        }
    }
}
