package ca.cmp.hub.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import ca.cmp.hub.redis.RedisHealth;
import ca.cmp.hub.support.RedisProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.JedisPooled;
import tools.jackson.databind.json.JsonMapper;

/** Rate limits per client, shared through Redis; when Redis dies the hub keeps answering, and recovers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hub.rate-limit.anonymous-per-minute=5", "hub.rate-limit.client-per-minute=8"})
@ActiveProfiles("test")
// A context of its own: closed after the class, so its schedulers and pools stop for the rest of the suite.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RateLimitTest {

    static final RedisProcess redis;

    static {
        try {
            redis = new RedisProcess();
            redis.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void ownRedis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", redis::url);
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        redis.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JedisPooled jedis;

    @Autowired
    RedisHealth redisHealth;

    @Autowired
    MeterRegistry meters;

    double refused() {
        return meters.counter("hub.ratelimit.refused", "caller", "anonymous").count();
    }

    double redisUp() {
        return meters.get("hub.redis.up").gauge().value();
    }

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> query(String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ viewer { anonymous } }\"}"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String token() throws Exception {
        String basic = Base64.getEncoder().encodeToString("demo-funder:demo-funder-secret"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body()).get("access_token").asString();
    }

    @Test
    void limitsHoldPerClientThroughRedisAndSurviveAnOutage() throws Exception {
        double refusedBefore = refused();
        for (int i = 0; i < 5; i++) {
            assertThat(query(null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = query(null);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("rate limit exceeded: 5 requests per minute per address without a token")
                .contains("RATE_LIMITED");
        assertThat(refused()).isEqualTo(refusedBefore + 1);
        // The HSDS API is a public read too, on the same bucket: spent by GraphQL, it is refused as well.
        HttpResponse<String> hsds = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/hsds/services")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hsds.statusCode()).isEqualTo(429);
        assertThat(refused()).isEqualTo(refusedBefore + 2);
        assertThat(redisUp()).isEqualTo(1);
        // The bucket lives in Redis, where every hub instance sees it.
        assertThat(jedis.exists("rl:ip:127.0.0.1")).isTrue();
        // A token's client has a bucket of its own.
        String token = token();
        assertThat(query(token).statusCode()).isEqualTo(200);

        redis.stop();
        // Redis gone: the hub answers, with limits kept per instance (a fresh local bucket).
        for (int i = 0; i < 5; i++) {
            assertThat(query(null).statusCode()).isEqualTo(200);
        }
        assertThat(query(null).statusCode()).isEqualTo(429);
        assertThat(refused()).isEqualTo(refusedBefore + 3);
        assertThat(redisUp()).isZero();

        redis.start();
        jedis.del("rl:ip:127.0.0.1");
        // Wait until the hub's Redis gate lets calls through again (it retries a few seconds after a failure),
        // without spending the client's small budget on polling.
        await().atMost(Duration.ofSeconds(30)).until(() -> redisHealth.call(() -> true, () -> false));
        assertThat(query(token).statusCode()).isEqualTo(200);
        // Back on Redis: the shared bucket exists again.
        assertThat(jedis.exists("rl:client:demo-funder")).isTrue();
        assertThat(redisUp()).isEqualTo(1);
    }
}
