package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import ca.cmp.hub.connectors.DeliveryMode;
import ca.cmp.hub.connectors.MentoringModel;
import ca.cmp.hub.connectors.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The KNN-bounded first page of a near search returns exactly what the exhaustive search returns: same programs,
 * same order, same distances, on seeded random programs (several sites each) and random queries and filters.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearBoundTest {

    @Autowired
    ProgramSearch search;

    @Autowired
    Fixtures fixtures;

    Partnership partnership;

    @BeforeAll
    void programs() {
        partnership = fixtures.partnership("Near bound test");
        Random random = new Random(99);
        MentoringModel[] models = MentoringModel.values();
        for (int i = 0; i < 400; i++) {
            double lat = 43.55 + random.nextDouble() * 0.3;
            double lon = -79.6 + random.nextDouble() * 0.4;
            int min = 6 + random.nextInt(8);
            Program p = fixtures.program(partnership, "P" + i, lat, lon, min, min + random.nextInt(19 - min),
                    models[random.nextInt(models.length)], ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON,
                    List.of("en"));
            for (int extra = random.nextInt(4); extra > 0; extra--) {
                p.addSite(Fixtures.site("extra", lat + (random.nextDouble() - 0.5) * 0.05,
                        lon + (random.nextDouble() - 0.5) * 0.05));
            }
            fixtures.save(p);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void boundedEqualsExhaustive(long seed) {
        Random random = new Random(seed);
        for (int q = 0; q < 10; q++) {
            ProgramCriteria.NearInput near = new ProgramCriteria.NearInput(43.5 + random.nextDouble() * 0.4,
                    -79.7 + random.nextDouble() * 0.6, 0.5 + random.nextDouble() * 30);
            List<MentoringModel> model = random.nextBoolean() ? List.of() : List.of(MentoringModel.values()[q % 5]);
            ProgramCriteria.AgeRangeInput ages = random.nextBoolean() ? null
                    : new ProgramCriteria.AgeRangeInput(6 + random.nextInt(12), null);
            ProgramCriteria criteria = ProgramCriteria.from(new ProgramCriteria.Input(near, null, null, ages, model,
                    null, null, null, List.of(partnership.getId().toString()), null));
            int limit = 1 + random.nextInt(25);
            List<ProgramSearch.Hit> bounded = search.find(criteria, null, limit, true);
            List<ProgramSearch.Hit> exhaustive = search.find(criteria, null, limit, false);
            assertThat(bounded).extracting(h -> h.program().id()).containsExactlyElementsOf(
                    exhaustive.stream().map(h -> h.program().id()).toList());
            assertThat(bounded).extracting(ProgramSearch.Hit::distanceMetres).containsExactlyElementsOf(
                    exhaustive.stream().map(ProgramSearch.Hit::distanceMetres).toList());
        }
    }
}
