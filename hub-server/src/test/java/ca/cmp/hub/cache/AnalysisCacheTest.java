package ca.cmp.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.redis.RedisHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import redis.clients.jedis.JedisPooled;

/**
 * The analysis cache's two tiers on the real Redis and data version: a result computed once is then served from
 * this instance's memory (the same object, no Redis read); another instance reads it from Redis and then holds its
 * own; a data change makes both tiers miss; a budget too small for a result holds nothing and every read parses
 * Redis' copy; held results go least recently used first and all at once when a newer version's arrives; the
 * coverage results callers share cannot be changed.
 */
@SpringBootTest
@ActiveProfiles("test")
class AnalysisCacheTest {

    record Question(String id) {
    }

    record Answer(List<String> items) {
    }

    @Autowired
    AnalysisCache cache;

    @Autowired
    JedisPooled jedis;

    @Autowired
    RedisHealth redis;

    @Autowired
    DataVersion version;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aResultIsHeldThenReadFromRedisByAnotherInstanceAndADataChangeMissesBoth() {
        String kind = kind();
        Question q = new Question("q");
        AtomicInteger computed = new AtomicInteger();
        Answer first = cache.get(kind, q, Answer.class, () -> answer(computed, "a"));
        Answer again = cache.get(kind, q, Answer.class, () -> answer(computed, "b"));
        assertThat(again).isSameAs(first);
        assertThat(computed).hasValue(1);
        assertThat(count(kind, "miss")).isEqualTo(1);
        assertThat(count(kind, "held")).isEqualTo(1);
        assertThat(count(kind, "hit")).isZero();

        AnalysisCache other = instance(64);
        Answer fromRedis = other.get(kind, q, Answer.class, () -> answer(computed, "c"));
        assertThat(fromRedis).isEqualTo(first).isNotSameAs(first);
        assertThat(other.get(kind, q, Answer.class, () -> answer(computed, "d"))).isSameAs(fromRedis);
        assertThat(computed).as("the other instance computed nothing").hasValue(1);
        assertThat(count(kind, "hit")).isEqualTo(1);
        assertThat(count(kind, "held")).isEqualTo(2);

        jdbc.update("UPDATE data_version SET version = version + 1");
        assertThat(cache.get(kind, q, Answer.class, () -> answer(computed, "e")).items()).containsExactly("e");
        assertThat(other.get(kind, q, Answer.class, () -> answer(computed, "f")).items())
                .as("the other instance reads what this one computed at the new version").containsExactly("e");
        assertThat(computed).hasValue(2);
    }

    @Test
    void aResultLargerThanTheBudgetIsNotHeldAndEachReadParsesRedisCopy() {
        String kind = kind();
        Question q = new Question("big");
        AnalysisCache none = instance(0);
        AtomicInteger computed = new AtomicInteger();
        Answer first = none.get(kind, q, Answer.class, () -> answer(computed, "x"));
        Answer second = none.get(kind, q, Answer.class, () -> answer(computed, "y"));
        Answer third = none.get(kind, q, Answer.class, () -> answer(computed, "z"));
        assertThat(List.of(second, third)).allSatisfy(a -> assertThat(a).isEqualTo(first).isNotSameAs(first));
        assertThat(second).isNotSameAs(third);
        assertThat(none.heldCount()).isZero();
        assertThat(count(kind, "hit")).isEqualTo(2);
        assertThat(count(kind, "held")).isZero();
    }

    @Test
    void heldResultsAreEvictedLeastRecentlyUsedFirstWithinTheirBudgetAndByANewerVersion() {
        HeldResults held = new HeldResults(10, java.util.concurrent.TimeUnit.MINUTES.toNanos(5));
        held.put("a", 1, "A", 4);
        held.put("b", 1, "B", 4);
        assertThat(held.get("a")).isEqualTo("A"); // a is now the more recent
        held.put("c", 1, "C", 4);
        assertThat(held.get("b")).as("least recently used, out").isNull();
        assertThat(held.get("a")).isEqualTo("A");
        assertThat(held.get("c")).isEqualTo("C");
        assertThat(held.chars()).isEqualTo(8);
        held.put("d", 1, "D", 11);
        assertThat(held.get("d")).as("larger than the whole budget").isNull();
        assertThat(held.size()).isEqualTo(2);
        held.put("v2", 2, "V2", 1);
        assertThat(held.get("a")).as("a newer version lets the older go").isNull();
        assertThat(held.get("c")).isNull();
        assertThat(held.chars()).isEqualTo(1);
        held.put("late", 1, "L", 1);
        assertThat(held.get("late")).as("older than what is held: not kept").isNull();
        HeldResults expiring = new HeldResults(10, 0);
        expiring.put("e", 1, "E", 1);
        assertThat(expiring.get("e")).as("expired with its shared copy").isNull();
        assertThat(expiring.chars()).isZero();
    }

    @Test
    void sharedCoverageResultsCannotBeChanged() {
        List<CoverageAnalysis.AreaRow> rows = new ArrayList<>(List.of(
                new CoverageAnalysis.AreaRow("1", "One", "35", 10, 5, 0.5, 1)));
        CoverageAnalysis.Figures figures = new CoverageAnalysis.Figures(rows, 10, 5, List.of("census"), null, null);
        rows.clear();
        assertThat(figures.areas()).as("a copy, not a view of the caller's list").hasSize(1);
        assertThatThrownBy(() -> figures.areas().clear()).isInstanceOf(UnsupportedOperationException.class);
        CoverageAnalysis.Gaps gaps = new CoverageAnalysis.Gaps(List.of(new CoverageAnalysis.GapRow("{}", 3, 1,
                new ArrayList<>(List.of("1")))));
        assertThatThrownBy(() -> gaps.gaps().get(0).areaCodes().add("2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private AnalysisCache instance(int heldMegabytes) {
        return new AnalysisCache(new AnalysisCache.Settings(true, 60, heldMegabytes), jedis, redis, version, meters);
    }

    private static Answer answer(AtomicInteger computed, String item) {
        computed.incrementAndGet();
        return new Answer(List.of(item));
    }

    private static String kind() {
        return "test-" + UUID.randomUUID();
    }

    private double count(String kind, String result) {
        var counter = meters.find("hub.analysis.cache").tag("kind", kind).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
