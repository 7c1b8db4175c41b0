package ca.cmp.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ca.cmp.hub.sync.internal.ZOrder;
import org.junit.jupiter.api.Test;

class ZOrderTest {

    @Test
    void keysInterleaveLongitudeAndLatitudeBits() {
        // South-west corner of the world, then one step east (bit 0) and one step north (bit 1).
        assertThat(ZOrder.key(-180, -90)).isZero();
        assertThat(ZOrder.key(-180 + 360.0 / 65536, -90)).isEqualTo(1);
        assertThat(ZOrder.key(-180, -90 + 180.0 / 65536)).isEqualTo(2);
        assertThat(ZOrder.key(180, 90)).isEqualTo(0xffff_ffffL);
        // The four quadrants around (0, 0) in Z order: SW, SE, NW, NE.
        assertThat(List.of(ZOrder.key(-1, -1), ZOrder.key(1, -1), ZOrder.key(-1, 1), ZOrder.key(1, 1)))
                .isSorted();
    }

    @Test
    void programsAreOrderedByTheirFirstSiteAndKeepTheirSitesAndEveryProgram() {
        Random random = new Random(7);
        List<MergePlan.Write> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            List<StagedProgram.Site> sites = new ArrayList<>();
            for (int s = 0; s < i % 3; s++) {
                sites.add(new StagedProgram.Site("s" + s, null, null, null, null, null, 42 + random.nextDouble() * 20,
                        -140 + random.nextDouble() * 80, "EXACT"));
            }
            written.add(new MergePlan.Write(new StagedProgram("p" + i, "Program " + i, null, 6, 18, null, null,
                    List.of(), "IN_PERSON", "RADIUS", 5.0, null, null, null, null, null, null, "ACTIVE", null, sites),
                    null, 0, "INSERTED", null, null));
        }
        List<MergePlan.Write> ordered = ZOrder.ordered(written, SyncEngine::firstSite);
        assertThat(ordered).containsExactlyInAnyOrderElementsOf(written);
        long last = Long.MIN_VALUE;
        for (MergePlan.Write w : ordered) {
            List<StagedProgram.Site> sites = w.program().sites();
            long key = sites.isEmpty() ? -1 : ZOrder.key(sites.get(0).longitude(), sites.get(0).latitude());
            assertThat(key).isGreaterThanOrEqualTo(last);
            last = key;
        }
        // Programs without sites keep their relative order (a stable sort).
        assertThat(ordered.stream().filter(w -> w.program().sites().isEmpty()).map(w -> w.program().sourceId()))
                .containsExactlyElementsOf(written.stream().filter(w -> w.program().sites().isEmpty())
                        .map(w -> w.program().sourceId()).toList());
    }
}
