package ca.cmp.hub.census;

import java.time.Instant;

/** A loaded census layer and the provenance every figure computed from it must carry. */
public record CensusDataset(String id, CensusImport.Level level, String title, String vintage, String source,
        String licence, Instant loadedAt, int areaCount, int repairedCount) {
}
