package ca.cmp.hub.coverage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The circle tolerance setting: its default draws 260-gons, and a value out of range names the property. */
class CoveragePropertiesTest {

    @Test
    void theDefaultToleranceDraws260Vertices() {
        CoverageProperties p = new CoverageProperties(false, true, CoverageProperties.DEFAULT_CIRCLE_AREA_TOLERANCE);
        assertThat(p.circleQuadrantSegments()).isEqualTo(65);
        // The 64-gons of earlier versions, for comparisons.
        assertThat(new CoverageProperties(false, true, 0.00161).circleQuadrantSegments()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, 1e-9, 0.5, Double.NaN})
    void aToleranceOutOfRangeNamesTheProperty(double tolerance) {
        assertThatThrownBy(() -> new CoverageProperties(false, true, tolerance))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hub.coverage.circle-area-tolerance must be between 1.0E-7 and 0.36")
                .hasMessageEndingWith("got " + tolerance);
    }
}
