package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
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
 * same order, same distances, on seeded random programs (several sites each, some at the same place as another)
 * and random queries and filters; read with its sites, it also has the sites a separate read finds.
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
            if (i % 20 == 0) {
                // A twin at the same place: equal distances, ordered by id.
                fixtures.save(fixtures.program(partnership, "Twin " + i, lat, lon, min, 18,
                        models[random.nextInt(models.length)], ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON,
                        List.of("en")));
            }
        }
    }

    ProgramCriteria criteria(Random random, int q) {
        ProgramCriteria.NearInput near = new ProgramCriteria.NearInput(43.5 + random.nextDouble() * 0.4,
                -79.7 + random.nextDouble() * 0.6, 0.5 + random.nextDouble() * 30);
        List<MentoringModel> model = random.nextBoolean() ? List.of() : List.of(MentoringModel.values()[q % 5]);
        ProgramCriteria.AgeRangeInput ages = random.nextBoolean() ? null
                : new ProgramCriteria.AgeRangeInput(6 + random.nextInt(12), null);
        return ProgramCriteria.from(new ProgramCriteria.Input(near, null, null, ages, model,
                null, null, null, List.of(partnership.getId().toString()), null));
    }

    /** A page read with its sites has the same programs as one without, and the sites a separate read finds. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void pageWithSitesEqualsSeparateReads(long seed) {
        Random random = new Random(seed);
        for (int q = 0; q < 10; q++) {
            ProgramCriteria criteria = criteria(random, q);
            int limit = 1 + random.nextInt(25);
            ProgramSearch.Page page = search.page(criteria, null, limit, true);
            List<ProgramSearch.Hit> exhaustive = search.find(criteria, null, limit, false);
            assertThat(page.hits()).extracting(h -> h.program().id()).containsExactlyElementsOf(
                    exhaustive.stream().map(h -> h.program().id()).toList());
            assertThat(page.hits()).extracting(ProgramSearch.Hit::distanceMetres).containsExactlyElementsOf(
                    exhaustive.stream().map(ProgramSearch.Hit::distanceMetres).toList());
            List<java.util.UUID> ids = exhaustive.stream().map(h -> h.program().id()).toList();
            assertThat(page.sites()).isEqualTo(search.sitesOf(ids));
        }
    }

    /** Page after page by distance cursor (first page bounded, later ones not): every program once, in order. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 20})
    void pagesByDistanceCoverTheExhaustiveOrder(int size) {
        ProgramCriteria criteria = ProgramCriteria.from(new ProgramCriteria.Input(
                new ProgramCriteria.NearInput(43.7, -79.4, 8.0), null, null, null, List.of(), null, null, null,
                List.of(partnership.getId().toString()), null));
        List<ProgramSearch.Hit> all = search.find(criteria, null, 1000, false);
        assertThat(all).hasSizeGreaterThan(3 * size);
        List<ProgramSearch.Hit> walked = new java.util.ArrayList<>();
        ProgramCursor after = null;
        while (true) {
            ProgramSearch.Page page = search.page(criteria, after, size + 1, true);
            List<ProgramSearch.Hit> hits = page.hits().subList(0, Math.min(size, page.hits().size()));
            walked.addAll(hits);
            if (page.hits().size() <= size) {
                break;
            }
            ProgramSearch.Hit last = hits.get(hits.size() - 1);
            after = ProgramCursor.byDistance(last.distanceMetres(), last.program().id());
        }
        assertThat(walked).extracting(h -> h.program().id())
                .containsExactlyElementsOf(all.stream().map(h -> h.program().id()).toList());
        assertThat(walked).extracting(ProgramSearch.Hit::distanceMetres)
                .containsExactlyElementsOf(all.stream().map(ProgramSearch.Hit::distanceMetres).toList());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void boundedEqualsExhaustive(long seed) {
        Random random = new Random(seed);
        for (int q = 0; q < 10; q++) {
            ProgramCriteria criteria = criteria(random, q);
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
