package ca.cmp.hub.connectors.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.OpenDataFiles;
import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import org.junit.jupiter.api.Test;

class GeoJsonConnectorTest {

    @Test
    void readsEveryTorontoSchoolAsAProgramAtItsPoint() throws Exception {
        SourceFetcher fetcher = new SourceFetcher(new AddressGuard(List.of()), List.of(OpenDataFiles.root()),
                SourceFetcher.Limits.defaults());
        GeoJsonConnector connector = new GeoJsonConnector(OpenDataFiles.file("places/toronto_schools.geojson")
                .toString(), FieldMapping.of(Map.of("fields", Map.of("sourceId", "school_id"),
                        "defaults", Map.of("setting", "SCHOOL", "minAge", 6, "maxAge", 18))), fetcher,
                FsaCentroids.empty());

        SourceBatch batch = connector.read(null, n -> { });

        assertThat(batch.problems()).isEmpty();
        assertThat(batch.programs()).hasSize(1327);
        SourceProgram first = batch.programs().get(0);
        assertThat(first.sourceId()).isEqualTo("1");
        assertThat(first.name()).isEqualTo("CENTENNIAL COLLEGE, ASHTONBEE CAMPUS");
        assertThat(first.minAge()).isEqualTo(6);
        assertThat(first.sites().get(0).longitude()).isEqualTo(-79.28978994);
        assertThat(first.sites().get(0).postalCode()).isEqualTo("M1L 4N4");
        assertThat(first.sites().get(0).city()).isEqualTo("Scarborough");
    }

    @Test
    void badFeaturesAreRejectedByIndexAndBadFilesAsAWhole() throws Exception {
        String text = """
                {"type": "FeatureCollection", "features": [
                  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-79.4, 43.7]},
                   "properties": {"id": "ok", "name": "Fine"}},
                  {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
                   "properties": {"id": "poly", "name": "Area"}},
                  {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["x", 43.7]},
                   "properties": {"id": "text", "name": "Text"}},
                  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-79.4, 43.7]},
                   "properties": {"id": "age", "name": "Age", "max_age": "eighteen"}}
                ]}""";
        SourceBatch batch = GeoJsonConnector.parse(text, FieldMapping.of(Map.of()), FsaCentroids.empty(), n -> { });
        assertThat(batch.programs()).extracting(SourceProgram::sourceId).containsExactly("ok");
        assertThat(batch.problems()).extracting(p -> p.field() + " | " + p.reason()).containsExactly(
                "features[1].geometry | must be a Point (a program's site), got Polygon",
                "features[2].geometry.coordinates | must be [longitude, latitude] numbers",
                "features[3].properties.max_age | \"eighteen\" is not a whole number");

        assertThatThrownBy(() -> GeoJsonConnector.parse("{\"type\": \"FeatureCollection\", \"features\": [",
                FieldMapping.of(Map.of()), FsaCentroids.empty(), n -> { }))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> GeoJsonConnector.parse("{\"type\": \"Point\", \"coordinates\": [0, 0]}",
                FieldMapping.of(Map.of()), FsaCentroids.empty(), n -> { }))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("must be a FeatureCollection");
    }
}
