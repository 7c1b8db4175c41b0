package ca.cmp.hub.connectors.hsds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import ca.cmp.hub.connectors.OpenDataFiles;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HsdsPackageConnectorTest {

    private static SourceBatch read(Path location, Path root) throws Exception {
        SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of()), List.of(root),
                SourceFetcher.Limits.defaults());
        FsaCentroids fsa = FsaCentroids.parse(Files.readString(OpenDataFiles.file("postal/fsa_centroids.csv")));
        return new HsdsPackageConnector(location.toString(), FieldMapping.of(Map.of()), fetcher, fsa)
                .read(null, n -> { });
    }

    @Test
    void theOfficialHsds30ExamplePackageIsAssembledLikeTheApiServes() throws Exception {
        SourceBatch batch = read(OpenDataFiles.file("hsds/hsds-3.0/examples/csv"), OpenDataFiles.root());

        assertThat(batch.problems()).isEmpty();
        SourceProgram service = batch.programs().get(0);
        assertThat(service.sourceId()).isEqualTo("ac148810-d857-441c-9679-408f346de14b");
        assertThat(service.name()).isEqualTo("Community Counselling");
        assertThat(service.minAge()).isEqualTo(12);
        assertThat(service.maxAge()).isEqualTo(100);
        assertThat(service.languages()).containsExactly("ur");
        assertThat(service.feeFree()).isFalse();
        assertThat(service.organization().name()).isEqualTo("Example Organization Inc.");
        // The official example's location is at latitude 100: mapped as given, for the hub's validator to refuse.
        assertThat(service.sites()).singleElement().satisfies(s -> {
            assertThat(s.latitude()).isEqualTo(100.0);
            assertThat(s.postalCode()).isEqualTo("ABC 1234");
        });
    }

    @Test
    void theHsds11SampleReadsWithItsOlderNamesFromAFolderOrAZip(@TempDir Path dir) throws Exception {
        Path folder = OpenDataFiles.file("hsds/hsds-1.1-sample/all_resources");
        SourceBatch fromFolder = read(folder, OpenDataFiles.root());

        assertThat(fromFolder.recordsRead()).isEqualTo(13);
        assertThat(fromFolder.programs()).extracting(SourceProgram::name).contains("Yound Minds");
        SourceProgram helpline = fromFolder.programs().stream()
                .filter(p -> p.sourceId().equals("c89eb05c-62dd-4b64-b494-0cc347b6ea7f")).findFirst().orElse(null);
        if (helpline != null) {
            assertThat(helpline.languages()).contains("en", "es");
        }
        // A US location without coordinates cannot be placed by a Canadian postal area: refused by name.
        assertThat(fromFolder.problems()).allSatisfy(p -> {
            assertThat(p.field()).startsWith("services.csv line ");
            assertThat(p.reason()).contains("no coordinates");
        });

        Path zip = dir.resolve("package.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
                Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                z.putNextEntry(new ZipEntry("all_resources/" + file.getFileName()));
                z.write(Files.readAllBytes(file));
                z.closeEntry();
            }
        }
        SourceBatch fromZip = read(zip, dir);
        assertThat(fromZip.programs()).extracting(SourceProgram::sourceId)
                .containsExactlyElementsOf(fromFolder.programs().stream().map(SourceProgram::sourceId).toList());
        assertThat(fromZip.problems()).hasSameSizeAs(fromFolder.problems());
    }
}
