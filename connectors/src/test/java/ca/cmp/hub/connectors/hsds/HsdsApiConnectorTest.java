package ca.cmp.hub.connectors.hsds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HsdsApiConnectorTest {

    private HsdsTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new HsdsTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HsdsApiConnector connector(Duration readTimeout) {
        // The test server is on loopback: allow-listed here as an administrator would.
        SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of("127.0.0.1/32")), List.of(),
                new SourceFetcher.Limits(Duration.ofSeconds(2), readTimeout, 10 << 20, 3, Duration.ofMillis(20)));
        return new HsdsApiConnector(server.baseUrl(), FieldMapping.of(Map.of("defaults", Map.of("radiusKm", 8))),
                fetcher, FsaCentroids.empty());
    }

    @Test
    void followsEveryPageAndMapsServicesLocationsCapacityAndModel() throws Exception {
        List<Integer> progress = new ArrayList<>();
        SourceBatch batch = connector(Duration.ofSeconds(5)).read(null, progress::add);

        assertThat(batch.problems()).isEmpty();
        assertThat(batch.complete()).isTrue();
        assertThat(batch.programs()).hasSize(13);
        assertThat(server.requests).extracting(u -> u.getPath() + "?" + u.getQuery()).containsExactly(
                "/hsds/services?full=true&page=1&per_page=100", "/hsds/services?full=true&page=2&per_page=100",
                "/hsds/services?full=true&page=3&per_page=100");
        assertThat(progress).containsExactly(5, 10, 13);
        SourceProgram fourth = batch.programs().get(3);
        assertThat(fourth.sourceId()).isEqualTo("agency-4");
        assertThat(fourth.minAge()).isEqualTo(12);
        assertThat(fourth.maxAge()).isEqualTo(24);
        assertThat(fourth.maxMatches()).isEqualTo(20);
        assertThat(fourth.activeMatches()).isEqualTo(15);
        assertThat(fourth.model()).isEqualTo(MentoringModel.ONE_TO_ONE);
        assertThat(fourth.radiusKm()).isEqualTo(8.0);
        assertThat(fourth.languages()).containsExactly("en");
        assertThat(fourth.organization().sourceId()).isEqualTo("org-4");
        SourceProgram.Site site = fourth.sites().get(0);
        assertThat(site.precision()).isEqualTo(LocationPrecision.EXACT);
        assertThat(site.latitude()).isBetween(43.5, 43.9);
        assertThat(site.postalCode()).matches("[A-Z]\\d[A-Z] \\d[A-Z]\\d");
    }

    @Test
    void anIncrementalReadAsksOnlyForWhatChangedAndIsNotASnapshot() throws Exception {
        SourceBatch batch = connector(Duration.ofSeconds(5)).read(Instant.parse("2025-07-01T00:00:00Z"), n -> { });

        assertThat(batch.complete()).isFalse();
        assertThat(server.requests.get(0).getQuery()).contains("modified_after=2025-07-01T00:00:00Z");
        assertThat(batch.programs()).isNotEmpty().allSatisfy(p -> assertThat(p.sourceId()).isNotNull());
        assertThat(batch.programs().size()).isLessThan(13);
    }

    @Test
    void servicesListedWithoutLocationsAreFetchedInFull() throws Exception {
        server.shallowListing = true;
        SourceBatch batch = connector(Duration.ofSeconds(5)).read(null, n -> { });
        assertThat(batch.programs()).hasSize(13).allSatisfy(p -> assertThat(p.sites()).hasSize(1));
        assertThat(server.requests).anySatisfy(u -> assertThat(u.getPath()).isEqualTo("/hsds/services/agency-7"));
    }

    @Test
    void transientFailuresAreRetriedWithBackoff() throws Exception {
        server.failNext.set(2);
        SourceBatch batch = connector(Duration.ofSeconds(5)).read(null, n -> { });
        assertThat(batch.programs()).hasSize(13);
        assertThat(server.requests).hasSize(5);
    }

    @Test
    void aServerThatKeepsFailingFailsTheReadNamingTheStatus() {
        server.broken = true;
        assertThatThrownBy(() -> connector(Duration.ofSeconds(5)).read(null, n -> { }))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining("answered HTTP 503").hasMessageContaining("after 3 attempts")
                .satisfies(e -> assertThat(((ConnectorException) e).isTransient()).isTrue());
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void aSlowServerIsCutOff() {
        server.delayMillis = 1500;
        long start = System.nanoTime();
        assertThatThrownBy(() -> connector(Duration.ofMillis(300)).read(null, n -> { }))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("did not answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aTruncatedPageFailsTheWholeRead() {
        server.truncatePage = 2;
        assertThatThrownBy(() -> connector(Duration.ofSeconds(5)).read(null, n -> { }))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining("page=2").hasMessageContaining("did not return valid JSON");
    }

    @Test
    void aConnectionDroppedMidBodyFailsTheReadAsTransient() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread serve = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    try (java.net.Socket s = raw.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1000\r\n\r\n{\"contents\": [").getBytes());
                        s.getOutputStream().flush();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            serve.setDaemon(true);
            serve.start();
            SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of("127.0.0.1/32")), List.of(),
                    new SourceFetcher.Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20, 3,
                            Duration.ofMillis(10)));
            HsdsApiConnector dropped = new HsdsApiConnector("http://127.0.0.1:" + raw.getLocalPort(),
                    FieldMapping.of(Map.of()), fetcher, FsaCentroids.empty());
            assertThatThrownBy(() -> dropped.read(null, n -> { })).isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("broke off", "truncated"))
                    .hasMessageContaining("after 3 attempts");
        }
    }
}
