package ca.cmp.hub.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ca.cmp.hub.connectors.ConnectorException;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressGuardTest {

    private final AddressGuard strict = new AddressGuard(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.9.9.9:8080/x", "http://localhost/", "http://[::1]/",
            "http://10.0.0.5/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://0.0.0.0/", "http://100.64.0.1/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://2130706433/",
            "http://0x7f000001/", "http://224.0.0.1/"})
    void refusesEveryNonPublicAddress(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("refused", "does not resolve", "no host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1/", "jar:http://x!/"})
    void refusesOtherSchemes(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("only http and https");
    }

    @Test
    void allowsPublicAddressesAndWhatAnAdministratorAllowListed() throws Exception {
        assertThat(strict.check(URI.create("http://8.8.8.8/"))).extracting(InetAddress::getHostAddress)
                .containsExactly("8.8.8.8");
        AddressGuard allowing = new AddressGuard(List.of("10.1.0.0/16", "::1"));
        assertThatCode(() -> allowing.check(URI.create("http://10.1.2.3/"))).doesNotThrowAnyException();
        assertThatCode(() -> allowing.check(URI.create("http://[::1]/"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> allowing.check(URI.create("http://10.2.0.1/"))).hasMessageContaining("private");
        assertThatThrownBy(() -> new AddressGuard(List.of("intranet.example"))).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void aRedirectToAForbiddenAddressIsRefusedBeforeItIsFollowed() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);

        server.createContext("/feed", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://[::1]:" + server.getAddress().getPort() + "/x");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });
        server.start();
        try {
            SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of("127.0.0.1/32")), List.of(),
                    new SourceFetcher.Limits(Duration.ofSeconds(1), Duration.ofSeconds(2), 1 << 20, 1,
                            Duration.ofMillis(1)));
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThatThrownBy(() -> fetcher.fetch(base + "/feed")).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("169.254.169.254").hasMessageContaining("link-local");
            assertThatThrownBy(() -> fetcher.fetch(base + "/loop")).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("loopback");

        } finally {
            server.stop(0);
        }
    }

    @Test
    void filesAreReadOnlyInsideTheImportFolders(@TempDir Path dir) throws Exception {
        Path imports = Files.createDirectories(dir.resolve("imports"));
        Path inside = Files.writeString(imports.resolve("programs.csv"), "id,name\n");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "key");
        Files.createSymbolicLink(imports.resolve("escape.csv"), secret);
        SourceFetcher fetcher = new SourceFetcher(strict, List.of(imports), SourceFetcher.Limits.defaults());

        assertThat(fetcher.fetch(inside.toString())).isEqualTo("id,name\n".getBytes());
        assertThat(fetcher.fetch(inside.toUri().toString())).isEqualTo("id,name\n".getBytes());
        for (String outside : List.of(secret.toString(), imports + "/../secret.txt", imports + "/escape.csv",
                "/etc/passwd")) {
            assertThatThrownBy(() -> fetcher.fetch(outside)).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("import directories");
        }
        SourceFetcher small = new SourceFetcher(strict, List.of(imports), new SourceFetcher.Limits(
                Duration.ofSeconds(1), Duration.ofSeconds(1), 4, 1, Duration.ofMillis(1)));
        assertThatThrownBy(() -> small.fetch(inside.toString())).hasMessageContaining("the limit is 4");
    }
}
