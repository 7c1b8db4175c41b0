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
import org.junit.jupiter.params.provider.CsvSource;
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
            "http://0x7f000001/", "http://224.0.0.1/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/",
            "http://[::ffff:0:127.0.0.1]/", "http://198.18.0.1/"})
    void refusesEveryNonPublicAddress(String url) {
        assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("refused", "does not resolve", "no host"));
    }

    /** Literal addresses, each with the word its refusal must name; global unicast ones are allowed (null). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "ALLOWED", value = {
            "8.8.8.8, ALLOWED", "1.1.1.1, ALLOWED", "198.17.255.255, ALLOWED", "198.20.0.1, ALLOWED",
            "100.63.255.255, ALLOWED", "100.128.0.1, ALLOWED", "172.32.0.1, ALLOWED", "223.255.255.254, ALLOWED",
            "192.0.3.1, ALLOWED", "2606:4700:4700::1111, ALLOWED", "2001:4860:4860::8888, ALLOWED",
            "::ffff:8.8.8.8, ALLOWED", "64:ff9b::808:808, ALLOWED", "2002:808:808::1, ALLOWED",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7, ALLOWED",
            "127.0.0.1, loopback", "127.255.255.254, loopback", "0.0.0.0, unspecified", "0.1.2.3, reserved",
            "10.0.0.1, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.0.1, private",
            "100.64.0.1, carrier-grade NAT", "100.127.255.255, carrier-grade NAT", "169.254.169.254, link-local",
            "192.0.0.8, reserved", "192.0.2.1, documentation", "198.51.100.7, documentation",
            "203.0.113.9, documentation", "192.88.99.1, 6to4 relay", "198.18.0.1, benchmarking",
            "198.19.255.255, benchmarking", "224.0.0.1, multicast", "239.255.255.250, multicast",
            "240.0.0.1, reserved", "255.255.255.255, broadcast",
            "::1, loopback", "::, unspecified", "fe80::1, link-local", "fd00:ec2::254, unique-local",
            "fc00::1, unique-local", "fec0::1, site-local", "ff02::1, multicast", "100::1, reserved",
            "4000::1, reserved", "2001:db8::1, documentation", "3fff::1, documentation", "2001:2::1, benchmarking",
            "2001:10::1, reserved", "64:ff9b:1::a00:1, local-use NAT64",
            "::ffff:127.0.0.1, loopback", "::ffff:169.254.169.254, link-local", "::127.0.0.1, loopback",
            "::10.0.0.1, private", "::ffff:0:127.0.0.1, loopback", "::ffff:0:a00:1, private",
            "64:ff9b::7f00:1, loopback", "64:ff9b::a9fe:a9fe, link-local", "64:ff9b::c612:1, benchmarking",
            "2002:7f00:1::1, loopback", "2002:a00:1:1::1, private", "2002:c0a8:101::1, private",
            // Teredo: the server 65.54.227.120 in clear, the client inverted (80ff:fefe = 127.0.1.1).
            "2001:0:4136:e378:8000:63bf:80ff:fefe, loopback", "2001:0:7f00:1:8000:63bf:f7f7:f7f7, loopback",
            "2001:0:4136:e378:8000:63bf:f5ff:fffe, private"})
    void allowsOnlyGlobalUnicastAndJudgesEmbeddedIpv4(String literal, String reason) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        if (reason == null) {
            assertThat(AddressGuard.forbidden(address)).as(literal).isNull();
            assertThatCode(() -> strict.check(URI.create("http://" + bracketed(literal) + "/"))).as(literal)
                    .doesNotThrowAnyException();
        } else {
            assertThat(AddressGuard.forbidden(address)).as(literal).isNotNull().contains(reason);
            assertThatThrownBy(() -> strict.check(URI.create("http://" + bracketed(literal) + "/x")))
                    .isInstanceOf(ConnectorException.class).hasMessageContaining("refused")
                    .hasMessageContaining(reason);
        }
    }

    private static String bracketed(String literal) {
        return literal.contains(":") ? "[" + literal + "]" : literal;
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
        SourceFetcher fetcher = new SourceFetcher(strict, SourceFetcher.Limits.defaults(),
                List.of(new ImportFolder("partner-feeds", imports)));

        assertThat(fetcher.fetch(inside.toString())).isEqualTo("id,name\n".getBytes());
        assertThat(fetcher.fetch(inside.toUri().toString())).isEqualTo("id,name\n".getBytes());
        // Existing or not, readable or not, a file or a folder: every outside location gets the same answer,
        // which names the folders and not where they are.
        List<String> answers = new java.util.ArrayList<>();
        for (String outside : List.of(secret.toString(), imports + "/../secret.txt", imports + "/escape.csv",
                "/etc/passwd", "/etc/shadow", "/root/.ssh/id_rsa", "/no/such/file", dir.toString(), "/",
                "file:///etc/passwd", imports + "/../imports-other/x.csv")) {
            assertThatThrownBy(() -> fetcher.fetch(outside)).isInstanceOf(ConnectorException.class)
                    .satisfies(e -> answers.add(e.getMessage()));
        }
        assertThat(answers).containsOnly("files can be read only from the import folders \"partner-feeds\" "
                + "(hub.connectors.import-dirs); this location is not in one");
        assertThatThrownBy(() -> fetcher.fetch(imports.resolve("missing.csv").toString()))
                .hasMessage("no file or folder \"partner-feeds/missing.csv\" in the import folders")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(dir.toString()));
        SourceFetcher small = new SourceFetcher(strict, List.of(imports), new SourceFetcher.Limits(
                Duration.ofSeconds(1), Duration.ofSeconds(1), 4, 1, Duration.ofMillis(1)));
        assertThatThrownBy(() -> small.fetch(inside.toString())).hasMessage(
                "\"imports/programs.csv\" is 8 bytes; the limit is 4");
    }

    @Test
    void importFoldersAreNamedAsConfiguredOrByTheirLastSegment() {
        assertThat(ImportFolder.parse("feeds=/srv/cmp-hub/imports")).isEqualTo(
                new ImportFolder("feeds", Path.of("/srv/cmp-hub/imports")));
        assertThat(ImportFolder.parse(" /srv/cmp-hub/imports ").name()).isEqualTo("imports");
        assertThat(ImportFolder.parse("target/test-imports").name()).isEqualTo("test-imports");
    }
}
