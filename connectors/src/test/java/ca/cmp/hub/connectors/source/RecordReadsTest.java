package ca.cmp.hub.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecordReadsTest {

    @Test
    void everyRecordIsReadOnceInItsPlaceAndProgressIsToldInOrderFromTheCaller() {
        Thread caller = Thread.currentThread();
        List<Integer> told = new ArrayList<>();
        List<Thread> tellers = new ArrayList<>();
        int[] reads = new int[25_001];
        Object[] outcomes = RecordReads.inOrder(reads.length, n -> {
            told.add(n);
            tellers.add(Thread.currentThread());
        }, i -> {
            synchronized (reads) {
                reads[i]++;
            }
            return "record " + i;
        });
        assertThat(outcomes).hasSize(25_001);
        for (int i = 0; i < outcomes.length; i++) {
            assertThat(outcomes[i]).isEqualTo("record " + i);
            assertThat(reads[i]).isOne();
        }
        assertThat(told).containsExactly(10_000, 20_000);
        assertThat(tellers).containsOnly(caller);
    }
}
