package ca.cmp.hub.coverage.internal;

import ca.cmp.hub.coverage.AnalysisRegion;
import java.util.List;
import java.util.Optional;

import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.cache.BackgroundWarmUp;
import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusDatasets;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Computes the national coverage the funders' map opens with (provinces and census divisions, all youth, no
 * filter) in the background once the hub is up, and again a few seconds after the data change (a burst of
 * changes coalesces into one run), so that visitors find it in the shared cache instead of waiting for it.
 * Off with {@code hub.coverage.warm-up=false} (and with the cache off, where it cannot help).
 */
@Component
class CoverageWarmUp {

    private static final Logger log = LoggerFactory.getLogger(CoverageWarmUp.class);
    static final List<String> NATIONAL = List.of("provinces", "census-divisions");
    static final long AFTER_CHANGE_SECONDS = 3;

    private final CoverageAnalysis analysis;
    private final CensusDatasets datasets;
    private final boolean enabled;
    private final BackgroundWarmUp background = new BackgroundWarmUp("coverage-warm-up", this::warm);

    CoverageWarmUp(CoverageAnalysis analysis, CensusDatasets datasets, CoverageProperties properties) {
        this.analysis = analysis;
        this.datasets = datasets;
        this.enabled = properties.warmUp();
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        schedule(0);
    }

    /** After the change is committed, so the analysis sees the new data under the new version. */
    @TransactionalEventListener(fallbackExecution = true)
    void dataChanged(DataVersion.Changed changed) {
        schedule(AFTER_CHANGE_SECONDS);
    }

    private void schedule(long delaySeconds) {
        if (enabled) {
            background.schedule(delaySeconds);
        }
    }

    private void warm() {
        for (String dataset : NATIONAL) {
            Optional<CensusDataset> census = datasets.find(dataset);
            if (census.isEmpty()) {
                continue;
            }
            try {
                long start = System.nanoTime();
                CoverageAnalysis.Request request = new CoverageAnalysis.Request(census.get(),
                        AnalysisRegion.all(), CoverageFilter.allYouth());
                analysis.coverage(request);
                analysis.gaps(request);
                log.info("Warmed the {} coverage for the map in {} ms", dataset,
                        (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("Could not warm the {} coverage: {}", dataset, e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        background.close();
    }
}
