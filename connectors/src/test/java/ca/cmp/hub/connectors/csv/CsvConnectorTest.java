package ca.cmp.hub.connectors.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.connectors.OpenDataFiles;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvConnectorTest {

    static FsaCentroids fsa;

    @BeforeAll
    static void postalCodes() throws Exception {
        fsa = FsaCentroids.parse(Files.readString(OpenDataFiles.file("postal/fsa_centroids.csv")));
    }

    @Test
    void readsThe211TorontoListingsWithTheirMultiLineAddresses() throws Exception {
        SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of()), List.of(OpenDataFiles.root()),
                SourceFetcher.Limits.defaults());
        CsvConnector connector = new CsvConnector(
                OpenDataFiles.file("places/toronto_211_refugee_services.csv").toString(),
                FieldMapping.of(Map.of("defaults", Map.of("model", "GROUP", "radiusKm", 5))), fetcher, fsa);

        SourceBatch batch = connector.read(null, n -> { });

        assertThat(batch.problems()).isEmpty();
        assertThat(batch.programs()).hasSize(234);
        assertThat(batch.complete()).isTrue();
        SourceProgram first = batch.programs().get(0);
        assertThat(first.sourceId()).isEqualTo("MET0430");
        assertThat(first.model()).isEqualTo(MentoringModel.GROUP);
        assertThat(first.radiusKm()).isEqualTo(5.0);
        // The quoted address spans two lines; the next record still starts on its own line.
        assertThat(first.sites().get(0).address()).contains("Suite 104").contains("M3C 3A1");
        assertThat(first.sites().get(0).latitude()).isEqualTo(43.709821);
        assertThat(batch.labels().get(1)).isEqualTo("line 4: ");
    }

    @Test
    void placesLinesWithoutCoordinatesAtTheirPostalArea() throws Exception {
        String csv = """
                id,name,postal_code,latitude,longitude,min_age,max_age,languages
                a,Downtown mentors,M5V 3L9,,,12,18,English; French
                b,Nowhere,,,,,,
                c,Bad FSA,Z9Z 9Z9,,,,,
                d,Half a point,M5V 3L9,43.6,,,,
                e,Twelve,M5V 3L9,43.6,-79.4,twelve,,
                """;
        SourceBatch batch = CsvConnector.parse(csv, FieldMapping.of(Map.of()), fsa, n -> { });

        assertThat(batch.programs()).extracting(SourceProgram::sourceId).containsExactly("a");
        SourceProgram.Site site = batch.programs().get(0).sites().get(0);
        assertThat(site.precision()).isEqualTo(LocationPrecision.POSTAL_FSA);
        FsaCentroids.Centroid m5v = fsa.locate("M5V").orElseThrow();
        assertThat(site.latitude()).isEqualTo(m5v.latitude());
        assertThat(batch.programs().get(0).languages()).containsExactly("en", "fr");
        assertThat(batch.problems()).extracting(p -> p.sourceId() + " | " + p.field() + " | " + p.reason())
                .containsExactly(
                        "b | line 3: latitude | no coordinates, and no postal code to place it by",
                        "c | line 4: latitude | no coordinates, and the postal code \"Z9Z 9Z9\" is not a known "
                                + "Canadian forward sortation area",
                        "d | line 5: longitude | is empty while latitude is given",
                        "e | line 6: min_age | \"twelve\" is not a whole number");
        assertThat(batch.recordsRead()).isEqualTo(5);
    }

    @Test
    void aRaggedLineIsRejectedByLineAndABrokenFileAsAWhole() throws Exception {
        SourceBatch batch = CsvConnector.parse("id,name,latitude,longitude\nx,One,43.6,-79.4\ny,Two,43.6\n",
                FieldMapping.of(Map.of()), fsa, n -> { });
        assertThat(batch.programs()).hasSize(1);
        assertThat(batch.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("line 3");
            assertThat(p.reason()).isEqualTo("has 3 fields; the header has 4");
        });

        assertThatThrownBy(() -> CsvConnector.parse("id,name\nx,\"never closed\ny,z\n", FieldMapping.of(Map.of()),
                fsa, n -> { })).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("line 2: a quoted field is never closed");
        assertThatThrownBy(() -> CsvConnector.parse("title,lat\nx,1\n", FieldMapping.of(Map.of("fields",
                Map.of("sourceId", "code"))), fsa, n -> { })).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("mapping.fields.sourceId: the source has no column \"code\"");
    }

    @Test
    void aFileInAnotherEncodingFailsWithItsLineUnlessTheMappingNamesTheEncoding(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("programs.csv");
        Files.write(file, "id,name,latitude,longitude\nq1,Société de mentorat,45.5,-73.6\n"
                .getBytes(Charset.forName("windows-1252")));
        SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of()), List.of(dir),
                SourceFetcher.Limits.defaults());

        assertThatThrownBy(() -> new CsvConnector(file.toString(), FieldMapping.of(Map.of()), fetcher, fsa)
                .read(null, n -> { })).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("line 2")
                .hasMessageContaining("windows-1252");
        SourceBatch batch = new CsvConnector(file.toString(), FieldMapping.of(Map.of("encoding", "windows-1252")),
                fetcher, fsa).read(null, n -> { });
        assertThat(batch.programs().get(0).name()).isEqualTo("Société de mentorat");
    }

    @Test
    void aMappingThatCannotBeRightIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> FieldMapping.of(Map.of("fields", Map.of("colour", "C"))))
                .hasMessageStartingWith("mapping.fields.colour: not a program field");
        assertThatThrownBy(() -> FieldMapping.of(Map.of("delimiter", ";;")))
                .hasMessageStartingWith("mapping.delimiter");
        assertThatThrownBy(() -> FieldMapping.of(Map.of("encoding", "klingon")))
                .hasMessageStartingWith("mapping.encoding");
    }
}
