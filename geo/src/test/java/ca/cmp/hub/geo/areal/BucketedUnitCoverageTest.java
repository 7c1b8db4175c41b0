package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.locationtech.jts.geom.Geometry;

/** A large unit's count of reaching programs is the count of reaches JTS finds intersecting it. */
class BucketedUnitCoverageTest {

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 7_000L + i);
    }

    /**
     * Every unit of the seeded instances (lattice cells, holed and two-part large units) against every reach, and a
     * star-shaped unit grown over the lattice, so that reaches lie inside, outside within the envelope, and across.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void reachingCountsAsJtsIntersects(long seed) {
        ReachGridTest.Instance in = ReachGridTest.instance(seed);
        ReachIndex index = new ReachIndex(in.reaches());
        List<Geometry> units = new java.util.ArrayList<>(in.units().stream().map(CensusUnit::geometry).toList());
        Geometry all = in.units().get(0).geometry().getFactory().buildGeometry(units).getEnvelope();
        units.add(ReachGridTest.star(all.getCentroid().getX(), all.getCentroid().getY(),
                all.getEnvelopeInternal().getWidth() / 2, new java.util.Random(seed)));
        int inside = 0;
        for (Geometry g : units) {
            List<IndexedReach> candidates = index.candidates(g.getEnvelopeInternal(), 6, 18);
            long expected = candidates.stream().filter(e -> e.reach().area().intersects(g)).count();
            assertThat(BucketedUnitCoverage.reaching(g, candidates)).as("unit %s", g).isEqualTo((int) expected);
            inside += (int) candidates.stream().filter(e -> g.contains(e.reach().area())).count();
        }
        // The shortcut is exercised: some reaches lie wholly inside a unit.
        assertThat(inside).isPositive();
    }
}
