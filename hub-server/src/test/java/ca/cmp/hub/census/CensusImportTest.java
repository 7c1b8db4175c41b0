package ca.cmp.hub.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Planners load their own census layers over GraphQL from files in an import folder — a zipped shapefile with
 * its counts, a Census Profile CSV joined to a boundary shapefile — and coverage works on them at once; other
 * roles are refused and audited; paths outside the import folders and broken files change nothing.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CensusImportTest {

    static final Path HOODS = OpenData.dir().resolve("census/toronto_neighbourhoods_youth.geojson");

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    JdbcTemplate jdbc;

    Path imports;
    Path hoodsZip;

    @BeforeAll
    void files() throws Exception {
        // The test profile's import folder (hub.connectors.import-dirs, which census imports follow).
        imports = Files.createDirectories(Path.of("target/test-imports", "census-" + UUID.randomUUID()));
        hoodsZip = BoundaryFiles.shapefileZip(HOODS, imports, "hoods", List.of());
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    Map<String, Object> hoodsInput(String id, Path boundaries, Map<String, Object> counts) {
        Map<String, Object> input = new HashMap<>(Map.of("id", id, "level", "NEIGHBOURHOOD",
                "title", "Toronto neighbourhoods (from a shapefile)", "vintage", "2016 Census", "source",
                "City of Toronto", "licence", "Open Government Licence – Toronto", "boundaries", boundaries.toString(),
                "codeProperty", "hood_id", "nameProperty", "name", "counts", counts));
        input.put("province", "ON");
        return input;
    }

    static Map<String, Object> bands() {
        return Map.of("properties", Map.of("total", "pop2016", "age5to9", "age_5_9", "age10to14", "age_10_14",
                "age15to19", "age_15_19"));
    }

    GraphQlTester.Response load(Map<String, Object> input) {
        return graphQl.documentName("loadCensusDataset").variable("input", input).execute();
    }

    double coverageYouth(String dataset) {
        return graphQl.documentName("coverage").variable("dataset", dataset).variable("areas", 3)
                .variable("gaps", 1).execute().path("coverage.totals.youth").entity(Double.class).get();
    }

    @Test
    void aPlannerLoadsAShapefileThenCoverageWorksOnItAndAReloadIsSeenAtOnce() {
        Callers.as("planner", Role.PLANNER, null);
        GraphQlTester.Response loaded = load(hoodsInput("import-hoods", hoodsZip, bands()));
        loaded.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("CensusDatasetLoaded");
        loaded.path("loadCensusDataset.dataset.areaCount").entity(Integer.class).isEqualTo(140);
        loaded.path("loadCensusDataset.dataset.level").entity(String.class).isEqualTo("NEIGHBOURHOOD");
        loaded.path("loadCensusDataset.report.format").entity(String.class).isEqualTo("SHAPEFILE");
        loaded.path("loadCensusDataset.report.srid").entity(Integer.class).isEqualTo(3347);
        double youth = loaded.path("loadCensusDataset.report.youth6to18").entity(Double.class).get();
        // 6-18 by the band rule from the 407,475 aged 5-19 (the bundle's documented fact).
        assertThat(youth).isBetween(407_475 * 0.80, 407_475 * 13.0 / 15 + 1);

        assertThat(coverageYouth("import-hoods")).isCloseTo(youth, within(1e-6));
        assertThat(layerYouth("import-hoods")).isCloseTo(youth, within(1e-3));

        // Reloading the id replaces the layer and the cached analysis with it: an exact 6-18 field now (the total
        // population, to make the change unmistakable).
        Map<String, Object> exact = Map.of("properties", Map.of("age5to9", "age_5_9", "age10to14", "age_10_14",
                "age15to19", "age_15_19", "age6to18", "pop2016"));
        load(hoodsInput("import-hoods", hoodsZip, exact)).path("loadCensusDataset.__typename").entity(String.class)
                .isEqualTo("CensusDatasetLoaded");
        double population = jdbc.queryForObject("SELECT sum(youth_6_18) FROM census_area WHERE dataset_id = "
                + "'import-hoods'", Double.class);
        assertThat(population).isGreaterThan(2_000_000);
        assertThat(coverageYouth("import-hoods")).isCloseTo(population, within(1e-3));
        // The whole layer, simplified, is kept per load: the reload is seen at once there too.
        assertThat(layerYouth("import-hoods")).isCloseTo(population, within(1e-3));
    }

    /** The youth of a whole layer as the map reads it (every area, simplified). */
    private double layerYouth(String dataset) {
        return graphQl.documentName("censusLayerYouth")
                .variable("d", dataset).execute().path("censusAreas[*].youth.total").entityList(Double.class).get()
                .stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void aCensusProfileCsvJoinsABoundaryShapefileByDguid() throws Exception {
        // Dissemination areas in Statistics Canada Lambert, with the DGUID, DAUID, PRUID and LANDAREA columns of
        // the national lda_000b21a_e, written to a shapefile by ogr2ogr: two in Ontario, one in Quebec. The counts
        // are in the official Census Profile layout, for Ontario only (StatCan splits DA profiles by region).
        Path geojson = imports.resolve("lda_two.geojson");
        Files.writeString(geojson, """
                {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3347"}},
                 "features": [
                  {"type": "Feature", "properties": {"DGUID": "2021S051235200001", "DAUID": "35200001", "PRUID": "35", "LANDAREA": 0.95},
                   "geometry": {"type": "Polygon", "coordinates": [[[7215000, 929000], [7216000, 929000], [7216000, 930000], [7215000, 930000], [7215000, 929000]]]}},
                  {"type": "Feature", "properties": {"DGUID": "2021S051235200002", "DAUID": "35200002", "PRUID": "35", "LANDAREA": 0.95},
                   "geometry": {"type": "Polygon", "coordinates": [[[7216000, 929000], [7217000, 929000], [7217000, 930000], [7216000, 930000], [7216000, 929000]]]}},
                  {"type": "Feature", "properties": {"DGUID": "2021S051224660001", "DAUID": "24660001", "PRUID": "24", "LANDAREA": 0.95},
                   "geometry": {"type": "Polygon", "coordinates": [[[7630000, 1240000], [7631000, 1240000], [7631000, 1241000], [7630000, 1241000], [7630000, 1240000]]]}}
                 ]}""");
        Path zip = BoundaryFiles.shapefileZip(geojson, imports, "lda_000b21a_e", List.of());
        Path profile = imports.resolve("98-401-X2021006_English_CSV_data.csv");
        StringBuilder csv = new StringBuilder("\"CENSUS_YEAR\",\"DGUID\",\"ALT_GEO_CODE\",\"GEO_LEVEL\",\"GEO_NAME\","
                + "\"TNR_SF\",\"TNR_LF\",\"DATA_QUALITY_FLAG\",\"CHARACTERISTIC_ID\",\"CHARACTERISTIC_NAME\","
                + "\"CHARACTERISTIC_NOTE\",\"C1_COUNT_TOTAL\",\"SYMBOL\",\"C2_COUNT_MEN+\",\"SYMBOL\",\"C3_COUNT_WOMEN+\",\"SYMBOL\"\n");
        String[][] rows = {{"Total - Age groups of the population - 100% data", "800", "2400"},
                {"    5 to 9 years", "50", "150"}, {"    10 to 14 years", "50", "150"},
                {"    15 to 19 years", "40", "120"}};
        int characteristic = 1;
        for (String[] row : rows) {
            for (int da = 1; da <= 2; da++) {
                csv.append("2021,\"2021S05123520000").append(da).append("\",\"3520000").append(da)
                        .append("\",\"Dissemination area\",\"3520000").append(da).append("\",\"0.0\",\"3.1\",0,")
                        .append(characteristic).append(",\"").append(row[0]).append("\",,").append(row[da])
                        .append(",,,,,\n");
            }
            characteristic++;
        }
        Files.writeString(profile, csv, StandardCharsets.UTF_8);

        Callers.as("admin", Role.ADMIN, null);
        Map<String, Object> input = new HashMap<>(Map.of("id", "import-da", "level", "DISSEMINATION_AREA",
                "title", "Two dissemination areas", "vintage", "2021 Census; 2021 boundaries", "source",
                "Statistics Canada 98-401-X2021006; lda_000b21a_e", "licence", "OGL-Canada", "boundaries",
                zip.toString(), "codeProperty", "DGUID", "nameProperty", "DAUID",
                "counts", Map.of("censusProfile", profile.toString())));
        GraphQlTester.Response unmatched = load(input);
        unmatched.path("loadCensusDataset.field").entity(String.class).isEqualTo("input.counts");
        unmatched.path("loadCensusDataset.message").entity(String.class).satisfies(m -> assertThat(m).contains(
                "record 3 (DGUID 2021S051224660001): no counts for this area in "
                        + "98-401-X2021006_English_CSV_data.csv (Census Profile, by DGUID)"));

        input.put("only", Map.of("field", "PRUID", "values", List.of("35")));
        GraphQlTester.Response loaded = load(input);
        loaded.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("CensusDatasetLoaded");
        loaded.path("loadCensusDataset.report.areas").entity(Integer.class).isEqualTo(2);
        loaded.path("loadCensusDataset.report.skipped").entity(Integer.class).isEqualTo(1);
        // 4/5*50 + 50 + 4/5*40 = 122, and three times that for the second area.
        loaded.path("loadCensusDataset.report.youth6to18").entity(Double.class).isEqualTo(122.0 + 366.0);
        Map<String, Object> first = jdbc.queryForMap("SELECT name, province, area_km2 FROM census_area "
                + "WHERE dataset_id = 'import-da' AND code = '2021S051235200001'");
        assertThat(first).containsEntry("name", "35200001").containsEntry("province", "ON");
        // A 1 km square of the Lambert plane is 0.954 km² on the ground here (scale factor 0.977).
        assertThat((Double) first.get("area_km2")).isCloseTo(0.954, within(0.002));
    }

    @Test
    void fundersAndTheAnonymousAreRefusedAndAudited() {
        for (Runnable caller : List.<Runnable>of(() -> Callers.as("funder", Role.FUNDER, null), Callers::anonymous,
                () -> Callers.partnerOf("someone"))) {
            caller.run();
            long audited = jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'loadCensusDataset'",
                    Long.class);
            load(hoodsInput("import-refused", hoodsZip, bands())).path("loadCensusDataset.__typename")
                    .entity(String.class).isEqualTo("NotAllowed");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'loadCensusDataset'",
                    Long.class)).isEqualTo(audited + 1);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_dataset WHERE id = 'import-refused'",
                Integer.class)).isZero();
    }

    @Test
    void pathsOutsideTheImportFoldersAreRefusedNamingTheInput() throws Exception {
        Callers.as("planner", Role.PLANNER, null);
        Path link = imports.resolve("escape.zip");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("/etc/hostname"));
        Set<String> answers = new HashSet<>();
        for (String outside : List.of("/etc/passwd", imports.resolve("../../../pom.xml").toString(), link.toString(),
                "/etc/shadow", "/root/.ssh/id_rsa", "/no/such/file.zip", OpenData.dir().getParent().toString())) {
            GraphQlTester.Response refused = load(hoodsInput("import-outside", Path.of(outside), bands()));
            refused.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("InvalidCensusImport");
            refused.path("loadCensusDataset.field").entity(String.class).isEqualTo("input.boundaries");
            answers.add(refused.path("loadCensusDataset.message").entity(String.class).get());
        }
        // One answer for every outside path, naming the folders by name: no server path, no existence oracle.
        assertThat(answers).singleElement().satisfies(m -> assertThat(m)
                .contains("import folders \"open-data\", \"test-imports\"")
                .doesNotContain(OpenData.dir().toString()).doesNotContain(imports.getParent().toAbsolutePath()
                        .toString()).doesNotContain("/etc").doesNotContain("/root"));
        GraphQlTester.Response missing = load(hoodsInput("import-outside", imports.resolve("missing.zip"), bands()));
        missing.path("loadCensusDataset.message").entity(String.class).satisfies(m -> assertThat(m)
                .contains("\"test-imports/" + imports.getFileName() + "/missing.zip\"")
                .doesNotContain(imports.getParent().toAbsolutePath().toString()));
        Map<String, Object> profileOutside = hoodsInput("import-outside", hoodsZip,
                Map.of("censusProfile", "/etc/passwd"));
        load(profileOutside).path("loadCensusDataset.field").entity(String.class)
                .isEqualTo("input.counts.censusProfile");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_dataset WHERE id = 'import-outside'",
                Integer.class)).isZero();
    }

    @Test
    void aBrokenFileNamesRecordAndFieldAndTheLoadedLayerStays() throws Exception {
        Callers.as("planner", Role.PLANNER, null);
        load(hoodsInput("import-kept", hoodsZip, bands())).path("loadCensusDataset.__typename").entity(String.class)
                .isEqualTo("CensusDatasetLoaded");
        Path broken = BoundaryFiles.withEntry(hoodsZip, imports.resolve("broken.zip"), "shp",
                shp -> BoundaryFiles.openFirstRing(shp, 7));
        GraphQlTester.Response refused = load(hoodsInput("import-kept", broken, bands()));
        refused.path("loadCensusDataset.__typename").entity(String.class).isEqualTo("InvalidCensusImport");
        refused.path("loadCensusDataset.field").entity(String.class).isEqualTo("input.boundaries");
        refused.path("loadCensusDataset.message").entity(String.class).satisfies(m -> assertThat(m)
                .startsWith("broken.zip!hoods.shp: 1 area(s) cannot be loaded, nothing was changed")
                .containsPattern("record 7 \\(hood_id \\d+\\): ring 1 of \\d+ is not closed"));

        Map<String, Object> misnamed = hoodsInput("import-kept", hoodsZip, Map.of("properties", Map.of(
                "age5to9", "AGE_5_9", "age10to14", "age_10_14", "age15to19", "age_15_19", "total", "population")));
        GraphQlTester.Response noField = load(misnamed);
        noField.path("loadCensusDataset.field").entity(String.class).isEqualTo("input.counts.properties.total");
        noField.path("loadCensusDataset.message").entity(String.class).satisfies(m -> assertThat(m)
                .startsWith("hoods.zip!hoods.shp: no field population (counts.properties.total); its fields are "));

        assertThat(jdbc.queryForObject("SELECT area_count FROM census_dataset WHERE id = 'import-kept'",
                Integer.class)).isEqualTo(140);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_area WHERE dataset_id = 'import-kept'",
                Integer.class)).isEqualTo(140);
    }
}
