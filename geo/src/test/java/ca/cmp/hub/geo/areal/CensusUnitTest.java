package ca.cmp.hub.geo.areal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CensusUnitTest {

    /** Bit k is age 6 + k; the range is clamped to 6..18 and may be empty. */
    @ParameterizedTest
    @CsvSource({"6, 6, 1", "6, 18, 8191", "12, 18, 8128", "0, 7, 3", "17, 40, 6144", "10, 9, 0", "19, 30, 0"})
    void ageBitsAreTheClampedRange(int from, int to, int bits) {
        assertThat(CensusUnit.ageBits(from, to)).isEqualTo(bits);
    }
}
