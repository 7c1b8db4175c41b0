package ca.cmp.hub.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.cmp.hub.census.SmallAreaProtection;
import org.junit.jupiter.api.Test;

/**
 * A public ratio times the public youth must give nothing finer than the public counts: 31 Toronto areas had their
 * suppressed uncovered count given away exactly by their exact ratio.
 */
class PublicFiguresTest {

    final CoverageController controller = new CoverageController(null, new SmallAreaProtection(10, 5), null, null);

    @Test
    void aSuppressedPartWithholdsTheOtherPartAndTheRatio() {
        // 200 youth, 195 covered: the 5 uncovered are below the threshold.
        CoverageController.Figures figures = controller.figures(200, 195, false);
        assertThat(figures.youth()).isEqualTo(200);
        assertThat(figures.uncovered()).isNull();
        assertThat(figures.covered()).as("youth minus covered would give the uncovered away").isNull();
        assertThat(figures.ratio()).as("ratio times youth would give the uncovered away").isNull();
        assertThat(figures.suppressed()).isTrue();
        CoverageController.Figures fewCovered = controller.figures(200, 4, false);
        assertThat(fewCovered.covered()).isNull();
        assertThat(fewCovered.ratio()).isNull();
    }

    @Test
    void aPublicRatioIsOfThePublicFigures() {
        CoverageController.Figures figures = controller.figures(203, 97, false);
        assertThat(figures.youth()).isEqualTo(205);
        assertThat(figures.covered()).isEqualTo(95);
        assertThat(figures.ratio()).isEqualTo(95.0 / 205);
        assertThat(figures.ratio() * figures.youth()).isEqualTo(figures.covered());
    }

    @Test
    void fundersAndPlannersSeeExactFigures() {
        CoverageController.Figures figures = controller.figures(200, 195, true);
        assertThat(figures.uncovered()).isEqualTo(5);
        assertThat(figures.ratio()).isEqualTo(0.975);
    }
}
