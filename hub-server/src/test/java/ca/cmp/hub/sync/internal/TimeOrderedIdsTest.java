package ca.cmp.hub.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void versionSevenIdsIncreaseInTheOrderTheyAreMadeAndNeverRepeat() {
        long before = System.currentTimeMillis();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(TimeOrderedIds.next());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 1; i < ids.size(); i++) {
            // PostgreSQL orders uuid by its bytes, as unsigned: compare the text form, which sorts the same way.
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
        }
        UUID first = ids.get(0);
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis() + 1000);
    }
}
