package ca.cmp.hub.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import redis.clients.jedis.JedisPooled;

/** The map's national coverage is in the shared cache again shortly after a data change, without a visitor. */
@HubTest
@TestPropertySource(properties = "hub.coverage.warm-up=true")
// Closed afterwards: a cached context would go on warming after every later data change, on the suite's cores.
@DirtiesContext
class CoverageWarmUpTest {

    @Autowired
    CensusLoader loader;

    @Autowired
    Fixtures fixtures;

    @Autowired
    DataVersion version;

    @Autowired
    JedisPooled redis;

    @Test
    void aDataChangeIsFollowedByAFreshNationalCoverageInTheCache() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals("provinces")) {
                loader.load(layer);
            }
        }
        fixtures.save(fixtures.program(fixtures.partnership("Warm-up"), "Warm-up program", 45.42, -75.70, 6, 18,
                MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("fr")));
        long current = version.current();
        Set<String> coverage = Set.of();
        Set<String> gaps = Set.of();
        // A deadline, not a speed claim: the start-up warm-up (every national layer already in the shared test
        // database) may still be running on the single warm-up thread when the change arrives.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while ((coverage.isEmpty() || gaps.isEmpty()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            coverage = redis.keys("analysis:coverage:v" + current + ":*");
            gaps = redis.keys("analysis:gaps:v" + current + ":*");
        }
        assertThat(coverage).as("coverage cached under data version %d", current).isNotEmpty();
        assertThat(gaps).as("gaps cached under data version %d", current).isNotEmpty();
    }
}
