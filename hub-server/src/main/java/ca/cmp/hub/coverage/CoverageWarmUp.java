package ca.cmp.hub.coverage;

import java.util.List;

import ca.cmp.hub.census.CensusDatasets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Computes the national coverage the funders' map opens with (provinces and census divisions, all youth, no
 * filter) once the hub is up, in the background, so that the first visitor finds it in the shared cache instead
 * of waiting for it. Off with {@code hub.coverage.warm-up=false} (and with the cache off, where it cannot help).
 */
@Component
class CoverageWarmUp {

    private static final Logger log = LoggerFactory.getLogger(CoverageWarmUp.class);
    static final List<String> NATIONAL = List.of("provinces", "census-divisions");

    private final CoverageAnalysis analysis;
    private final CensusDatasets datasets;
    private final boolean enabled;

    CoverageWarmUp(CoverageAnalysis analysis, CensusDatasets datasets, CoverageProperties properties) {
        this.analysis = analysis;
        this.datasets = datasets;
        this.enabled = properties.warmUp();
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (!enabled) {
            return;
        }
        Thread thread = new Thread(() -> {
            for (String dataset : NATIONAL) {
                if (datasets.find(dataset).isEmpty()) {
                    continue;
                }
                try {
                    long start = System.nanoTime();
                    CoverageAnalysis.Request request = new CoverageAnalysis.Request(dataset,
                            CoverageInputs.Region.all(), CoverageFilter.allYouth());
                    analysis.coverage(request);
                    analysis.gaps(request);
                    log.info("Warmed the {} coverage for the map in {} ms", dataset,
                            (System.nanoTime() - start) / 1_000_000);
                } catch (RuntimeException e) {
                    log.warn("Could not warm the {} coverage: {}", dataset, e.getMessage());
                }
            }
        }, "coverage-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
