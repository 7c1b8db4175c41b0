package ca.cmp.hub.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Census layers from the real open-data bundle and from the official Statistics Canada Census Profile layout. */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CensusLoaderTest {

    @Autowired
    CensusLoader loader;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTester graphQl;

    Map<String, CensusLoader.Report> bundle = new java.util.HashMap<>();

    @BeforeAll
    void loadBundle() {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            bundle.put(layer.datasetId(), loader.load(layer));
        }
    }

    @Test
    void censusDivisionsKeepEveryAreaAndTheExactNationalYouthCount() {
        CensusLoader.Report cds = bundle.get("census-divisions");
        assertThat(cds.areas()).isEqualTo(293);
        // Some boundaries are invalid as published: repaired, none dropped.
        assertThat(cds.repaired()).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_area WHERE dataset_id = 'census-divisions' "
                + "AND ST_IsValid(boundary) AND NOT ST_IsEmpty(boundary)", Integer.class)).isEqualTo(293);
        // Every area's exact 6-18 count arrives: the loaded sum is the file's own sum, read here independently...
        double fileSum = 0;
        for (JsonNode f : JsonMapper.builder().build().readTree(OpenData.dir()
                .resolve("census/canada_census_divisions_youth.geojson").toFile()).get("features")) {
            fileSum += f.get("properties").get("c2011_age_6_18").asDouble();
        }
        assertThat(cds.youth6to18()).isCloseTo(fileSum, within(1e-6));
        // ...and agrees with the documented national figure (5,095,505) up to the source's rounding of each
        // area to a multiple of 5.
        assertThat(cds.youth6to18()).isCloseTo(5_095_505, within(293 * 2.5));
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT youth_method) FROM census_area "
                + "WHERE dataset_id = 'census-divisions'", Integer.class)).isEqualTo(1);
    }

    @Test
    void provincesJoinTheCsvByPostalAbbreviation() {
        assertThat(bundle.get("provinces").areas()).isEqualTo(13);
        Map<String, Object> ontario = jdbc.queryForMap("SELECT code, province, youth_6_18 FROM census_area "
                + "WHERE dataset_id = 'provinces' AND province = 'ON'");
        assertThat(ontario.get("code")).isEqualTo("35");
        double national = jdbc.queryForObject("SELECT sum(youth_6_18) FROM census_area WHERE dataset_id = 'provinces'",
                Double.class);
        // Each province is rounded by the source; 13 roundings of at most 2.5 each.
        assertThat(national).isCloseTo(5_095_505, within(13 * 2.5));
    }

    @Test
    void torontoNeighbourhoodsEstimateSixToEighteenFromBands() {
        assertThat(bundle.get("toronto-neighbourhoods").areas()).isEqualTo(140);
        // The bundle's documented fact: ages 5-19 over the 140 neighbourhoods = 407,475.
        Map<String, Object> sums = jdbc.queryForMap("SELECT sum(youth_6_18) AS youth, min(youth_method) AS method, "
                + "max(youth_method) AS method2 FROM census_area WHERE dataset_id = 'toronto-neighbourhoods'");
        assertThat(sums.get("method")).isEqualTo(AgeCounts.BANDS_UNIFORM).isEqualTo(sums.get("method2"));
        // 6-18 is 13 of the 15 single years in 5-19; the uniform rule takes 4/5 of the outer bands.
        assertThat((Double) sums.get("youth")).isBetween(407_475 * 0.80, 407_475 * 13.0 / 15 + 1);
    }

    @Test
    void officialCensusProfileLayoutJoinsBoundariesByDguid(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("98-401-X2021006_English_CSV_data.csv");
        StringBuilder csv = new StringBuilder("\uFEFF\"CENSUS_YEAR\",\"DGUID\",\"ALT_GEO_CODE\",\"GEO_LEVEL\",\"GEO_NAME\","
                + "\"TNR_SF\",\"TNR_LF\",\"DATA_QUALITY_FLAG\",\"CHARACTERISTIC_ID\",\"CHARACTERISTIC_NAME\","
                + "\"CHARACTERISTIC_NOTE\",\"C1_COUNT_TOTAL\",\"SYMBOL\",\"C2_COUNT_MEN+\",\"SYMBOL\",\"C3_COUNT_WOMEN+\",\"SYMBOL\"\n");
        String[][] rows = {
                {"Total - Age groups of the population - 100% data", "800", "2400"},
                {"  0 to 14 years", "150", "450"},
                {"    0 to 4 years", "50", "150"},
                {"    5 to 9 years", "50", "150"},
                {"    10 to 14 years", "50", "150"},
                {"  15 to 64 years", "500", "1500"},
                {"    15 to 19 years", "40", "120"},
                {"Total - Households by household size - 100% data", "300", "900"}};
        int id = 1;
        for (String[] row : rows) {
            csv.append("2021,\"2021S051235200001\",\"35200001\",\"Dissemination area\",\"35200001\",\"0.0\",\"3.1\",0,")
                    .append(id).append(",\"").append(row[0]).append("\",,").append(row[1]).append(",,,,,\n");
            csv.append("2021,\"2021S051235200002\",\"35200002\",\"Dissemination area\",\"35200002\",\"0.0\",\"3.1\",0,")
                    .append(id++).append(",\"").append(row[0]).append("\",,").append(row[2]).append(",,,,,\n");
        }
        Files.writeString(profile, csv, StandardCharsets.UTF_8);
        Path boundaries = dir.resolve("lda_000b21a_e.geojson");
        Files.writeString(boundaries, """
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3347"}},
                 "features": [
                  {"type": "Feature", "properties": {"DAUID": "35200001", "DGUID": "2021S051235200001", "LANDAREA": 1.0},
                   "geometry": {"type": "Polygon", "coordinates": [[[7215000, 929000], [7216000, 929000], [7216000, 930000], [7215000, 930000], [7215000, 929000]]]}},
                  {"type": "Feature", "properties": {"DAUID": "35200002", "DGUID": "2021S051235200002", "LANDAREA": 1.0},
                   "geometry": {"type": "Polygon", "coordinates": [[[7216000, 929000], [7217000, 929000], [7217000, 930000], [7216000, 930000], [7216000, 929000]]]}}
                 ]}""");
        CensusLoader.Report report = loader.load(new CensusImport("da-test", CensusImport.Level.DISSEMINATION_AREA,
                "Test DAs", "2021 Census", "Statistics Canada 98-401-X2021006", "OGL-Canada", boundaries, "DGUID",
                "DAUID", null, new CensusImport.InCensusProfile(profile)));
        assertThat(report.areas()).isEqualTo(2);
        // 4/5*50 + 50 + 4/5*40 = 122, and three times that for the second area.
        assertThat(report.youth6to18()).isCloseTo(122 + 366, within(1e-9));
        Map<String, Object> first = jdbc.queryForMap("SELECT province, youth_method, area_km2, "
                + "ST_X(ST_Centroid(boundary)) AS lon, ST_Y(ST_Centroid(boundary)) AS lat FROM census_area "
                + "WHERE dataset_id = 'da-test' AND code = '2021S051235200001'");
        assertThat(first.get("youth_method")).isEqualTo(AgeCounts.BANDS_UNIFORM);
        // Statistics Canada Lambert is conformal, not equal-area: this 1 km² square of the projection plane is
        // 0.954 km² on the ground (scale factor 0.977 here). The hub stores the geodesic area.
        assertThat((Double) first.get("area_km2")).isCloseTo(0.954, within(0.002));
        // DGUID 2021S0512 35... : Ontario, and the Lambert coordinates land in Ontario once transformed.
        assertThat(first.get("province")).isEqualTo("ON");
        assertThat((Double) first.get("lon")).isBetween(-96.0, -74.0);
        assertThat((Double) first.get("lat")).isBetween(41.6, 57.0);
    }

    @Test
    void badFilesAreRefusedNamingFeatureAndFieldAndChangeNothing(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("hoods.geojson");
        Files.writeString(good, featureCollection("""
                {"type": "Feature", "properties": {"id": "A", "y5": 10, "y10": 10, "y15": 10},
                 "geometry": {"type": "Polygon", "coordinates": [[[-79.4, 43.6], [-79.3, 43.6], [-79.3, 43.7], [-79.4, 43.6]]]}}"""));
        Map<String, String> mapping = Map.of("age5to9", "y5", "age10to14", "y10", "age15to19", "y15");
        CensusImport spec = new CensusImport("bad-test", CensusImport.Level.NEIGHBOURHOOD, "t", "v", "s", "l", good,
                "id", "id", "ON", new CensusImport.InProperties(mapping));
        assertThat(loader.load(spec).areas()).isEqualTo(1);

        Path bad = dir.resolve("bad.geojson");
        Files.writeString(bad, featureCollection("""
                {"type": "Feature", "properties": {"id": "B", "y5": 10, "y10": 10},
                 "geometry": {"type": "Polygon", "coordinates": [[[-79.4, 43.6], [-79.3, 43.6], [-79.3, 43.7], [-79.4, 43.6]]]}},
                {"type": "Feature", "properties": {"y5": 1, "y10": 1, "y15": 1},
                 "geometry": {"type": "Polygon", "coordinates": [[[-79.4, 43.6], [-79.3, 43.6], [-79.3, 43.7], [-79.4, 43.6]]]}},
                {"type": "Feature", "properties": {"id": "D", "y5": 1, "y10": 1, "y15": 1},
                 "geometry": {"type": "Point", "coordinates": [-79.4, 43.6]}}"""));
        assertThatThrownBy(() -> loader.load(new CensusImport("bad-test", spec.level(), "t", "v", "s", "l", bad, "id",
                "id", "ON", spec.counts())))
                .isInstanceOf(CensusLoadException.class)
                .hasMessageContaining("bad.geojson: 3 area(s) cannot be loaded, nothing was changed")
                .hasMessageContaining("feature 0 (id B): counts lack property y15 (age15to19)\n")
                .hasMessageContaining("feature 1: property id is missing")
                .hasMessageContaining("feature 2 (id D): geometry must be a Polygon or MultiPolygon, got Point");
        Path notJson = dir.resolve("broken.geojson");
        Files.writeString(notJson, "{\"type\": \"FeatureCollection\", \"features\": [");
        assertThatThrownBy(() -> loader.load(new CensusImport("bad-test", spec.level(), "t", "v", "s", "l", notJson,
                "id", "id", "ON", spec.counts()))).hasMessageStartingWith("broken.geojson: not valid JSON");
        // The earlier good load is intact.
        assertThat(jdbc.queryForList("SELECT code FROM census_area WHERE dataset_id = 'bad-test'", String.class))
                .containsExactly("A");
    }

    private static String featureCollection(String features) {
        return "{\"type\": \"FeatureCollection\", \"features\": [" + features + "]}";
    }

    @Test
    void publicAreasAreSuppressedBelowTheThresholdAndRounded() {
        GraphQlTester.Response response = graphQl.document("""
                { censusAreas(dataset: "toronto-neighbourhoods", simplifyMeters: 20) {
                    code name youth { total byAge method suppressed } boundary } }""").execute();
        List<Map<String, Object>> areas = response.path("censusAreas").entityList(Map.class).get().stream()
                .map(m -> (Map<String, Object>) m).toList();
        assertThat(areas).hasSize(140);
        for (Map<String, Object> area : areas) {
            Map<String, Object> youth = (Map<String, Object>) area.get("youth");
            assertThat(((Number) youth.get("total")).doubleValue() % 5).isZero();
        }
        graphQl.document("{ censusAreas(dataset: \"nope\") { code } }").execute().errors()
                .satisfy(e -> assertThat(e).singleElement().satisfies(err ->
                        assertThat(err.getMessage()).isEqualTo("dataset: no census dataset \"nope\" is loaded")));
    }
}
