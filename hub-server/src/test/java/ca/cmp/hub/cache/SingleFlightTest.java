package ca.cmp.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent callers of one key share one computation; its failure reaches them all; nothing is kept after. */
class SingleFlightTest {

    final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void callersOfOneKeyWaitForTheComputationAlreadyRunning() throws Exception {
        SingleFlight<String, String> flight = new SingleFlight<>();
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch leaderStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<SingleFlight.Outcome<String>> leader = pool.submit(() -> flight.get("layer@v7", () -> {
            computed.incrementAndGet();
            leaderStarted.countDown();
            await(release);
            return "figures";
        }));
        assertThat(leaderStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<SingleFlight.Outcome<String>>> followers = new ArrayList<>();
        CountDownLatch asking = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            followers.add(pool.submit(() -> {
                asking.countDown();
                return flight.get("layer@v7", () -> {
                    computed.incrementAndGet();
                    return "computed again";
                });
            }));
        }
        assertThat(asking.await(10, TimeUnit.SECONDS)).isTrue();
        // Another key is not held up by the running one.
        assertThat(flight.get("other@v7", () -> "other").value()).isEqualTo("other");
        Thread.sleep(200); // from asking to waiting is a few instructions; the assertions below do not time
        release.countDown();
        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo(new SingleFlight.Outcome<>("figures",
                SingleFlight.Role.LEADER));
        long led = 0;
        for (Future<SingleFlight.Outcome<String>> f : followers) {
            SingleFlight.Outcome<String> outcome = f.get(10, TimeUnit.SECONDS);
            assertThat(outcome.value()).isEqualTo(outcome.role() == SingleFlight.Role.FOLLOWER ? "figures"
                    : "computed again");
            led += outcome.role() == SingleFlight.Role.LEADER ? 1 : 0;
        }
        assertThat(computed.get()).isEqualTo(1 + led);
        assertThat(led).as("followers that found the computation running").isLessThan(followers.size());
        // Nothing is kept once it ended: the next caller computes.
        assertThat(flight.get("layer@v7", () -> "fresh")).isEqualTo(new SingleFlight.Outcome<>("fresh",
                SingleFlight.Role.LEADER));
    }

    @Test
    void theLeadersFailureReachesEveryWaitingCallerAndIsNotKept() throws Exception {
        SingleFlight<String, String> flight = new SingleFlight<>();
        CountDownLatch leaderStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> leader = pool.submit(() -> flight.get("k", () -> {
            leaderStarted.countDown();
            await(release);
            throw new IllegalStateException("the database is unavailable");
        }));
        assertThat(leaderStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<SingleFlight.Outcome<String>> follower = pool.submit(() -> flight.get("k", () -> "ran alone"));
        Thread.sleep(200);
        release.countDown();
        assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        try {
            SingleFlight.Outcome<String> outcome = follower.get(10, TimeUnit.SECONDS);
            // Only when it came after the leader had ended.
            assertThat(outcome).isEqualTo(new SingleFlight.Outcome<>("ran alone", SingleFlight.Role.LEADER));
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the database is unavailable");
        }
        assertThat(flight.get("k", () -> "recovered").value()).isEqualTo("recovered");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
