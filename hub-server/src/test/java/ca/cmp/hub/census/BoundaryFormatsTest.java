package ca.cmp.hub.census;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real Toronto neighbourhoods and census divisions, converted by independent writers (GDAL's ogr2ogr, the
 * NGA GeoPackage library) to the formats users download, in Statistics Canada Lambert (EPSG:3347), load into
 * PostGIS as the same areas, codes, names, youth and land as the published GeoJSON; broken files are refused
 * naming the file, the record and the field, and change nothing.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundaryFormatsTest {

    static final Path HOODS = OpenData.dir().resolve("census/toronto_neighbourhoods_youth.geojson");
    static final Path CDS = OpenData.dir().resolve("census/canada_census_divisions_youth.geojson");

    @Autowired
    CensusLoader loader;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    Path hoodsZip;

    @BeforeAll
    void references(@TempDir Path shared) throws Exception {
        loader.load(hoods("fmt-hoods-geojson", HOODS, null));
        loader.load(cds("fmt-cds-geojson", CDS, CensusBundle.layers(OpenData.dir()).get(1).counts(), "cduid",
                "cdname"));
        hoodsZip = BoundaryFiles.shapefileZip(HOODS, shared, "hoods", List.of());
    }

    static CensusImport hoods(String id, Path boundaries, String layer) {
        return new CensusImport(id, CensusImport.Level.NEIGHBOURHOOD, "Toronto", "2016", "City of Toronto",
                "OGL-Toronto", boundaries, null, layer, "hood_id", "name", "ON",
                new CensusImport.InProperties(BoundaryFiles.torontoBands()), null);
    }

    static CensusImport cds(String id, Path boundaries, CensusImport.Counts counts, String code, String name) {
        return new CensusImport(id, CensusImport.Level.CENSUS_DIVISION, "CDs", "2011", "Statistics Canada",
                "OGL-Canada", boundaries, code, name, null, counts);
    }

    /** Every area of {@code loaded} is the reference's: same code, name, youth, and land to 1e-6. */
    void sameAreas(String reference, String loaded, int areas, double landTolerance) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT r.code, r.name = l.name AS same_name, r.youth_6_18 AS youth, l.youth_6_18 AS loaded_youth,
                       r.total_population IS NOT DISTINCT FROM l.total_population AS same_total,
                       l.area_km2 / r.area_km2 AS area_ratio,
                       ST_Area(ST_SymDifference(r.boundary, l.boundary)::geography) / ST_Area(r.boundary::geography)
                         AS differing_share
                FROM census_area r JOIN census_area l ON l.code = r.code AND l.dataset_id = ?
                WHERE r.dataset_id = ?""", loaded, reference);
        assertThat(rows).hasSize(areas);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_area WHERE dataset_id = ?", Integer.class, loaded))
                .isEqualTo(areas);
        for (Map<String, Object> row : rows) {
            assertThat(row).as("area %s", row.get("code")).containsEntry("same_name", true)
                    .containsEntry("same_total", true);
            assertThat((Double) row.get("loaded_youth")).as("youth of %s", row.get("code"))
                    .isEqualTo((Double) row.get("youth"));
            assertThat((Double) row.get("area_ratio")).as("land of %s", row.get("code"))
                    .isCloseTo(1, within(landTolerance));
            assertThat((Double) row.get("differing_share")).as("shape of %s", row.get("code"))
                    .isLessThan(landTolerance);
        }
    }

    @Test
    void aZippedShapefileInStatCanLambertLoadsAsTheGeoJson() {
        CensusLoader.Report report = loader.load(hoods("fmt-hoods-shp", hoodsZip, null));
        assertThat(report.format()).isEqualTo(CensusImport.Format.SHAPEFILE);
        assertThat(report.srid()).isEqualTo(3347);
        assertThat(report.areas()).isEqualTo(140);
        sameAreas("fmt-hoods-geojson", "fmt-hoods-shp", 140, 1e-6);
        // The bundle's documented fact: ages 5-19 over the 140 neighbourhoods = 407,475; 6-18 by the band rule.
        double bands = jdbc.queryForObject("SELECT sum(youth_6_18) FROM census_area WHERE dataset_id = 'fmt-hoods-shp'",
                Double.class);
        assertThat(bands).isEqualTo(report.youth6to18()).isBetween(407_475 * 0.80, 407_475 * 13.0 / 15 + 1);
    }

    @Test
    void aShpWithItsPartsBesideItLoadsToo() {
        CensusLoader.Report report = loader.load(hoods("fmt-hoods-shp-plain",
                hoodsZip.resolveSibling("hoods-parts/hoods.shp"), null));
        assertThat(report.format()).isEqualTo(CensusImport.Format.SHAPEFILE);
        sameAreas("fmt-hoods-geojson", "fmt-hoods-shp-plain", 140, 1e-6);
    }

    @Test
    void aGeoPackageWrittenByTheNgaLibraryLoadsAsTheGeoJson() throws Exception {
        Path gpkg = BoundaryFiles.geoPackage(HOODS, dir.resolve("hoods.gpkg"), "neighbourhoods",
                List.of("hood_id", "name", "pop2016", "age_5_9", "age_10_14", "age_15_19"), jdbc);
        CensusLoader.Report report = loader.load(hoods("fmt-hoods-gpkg", gpkg, null));
        assertThat(report.format()).isEqualTo(CensusImport.Format.GEOPACKAGE);
        assertThat(report.srid()).isEqualTo(3347);
        sameAreas("fmt-hoods-geojson", "fmt-hoods-gpkg", 140, 1e-6);
    }

    @Test
    void aGeoPackageWrittenByOgr2ogrWithSeveralTablesLoadsTheNamedOne() throws Exception {
        Path gpkg = dir.resolve("two.gpkg");
        BoundaryFiles.ogr2ogr("-f", "GPKG", "-t_srs", "EPSG:3347", "-nln", "hoods", gpkg.toString(), HOODS.toString());
        BoundaryFiles.ogr2ogr("-f", "GPKG", "-update", "-t_srs", "EPSG:3347", "-nln", "divisions", gpkg.toString(),
                CDS.toString());
        assertThatThrownBy(() -> loader.load(hoods("fmt-hoods-gpkg2", gpkg, null)))
                .isInstanceOfSatisfying(CensusLoadException.class, e -> assertThat(e.input()).isEqualTo("layer"))
                .hasMessage("two.gpkg: the GeoPackage has several feature tables (hoods, divisions); name one in layer");
        loader.load(hoods("fmt-hoods-gpkg2", gpkg, "hoods"));
        sameAreas("fmt-hoods-geojson", "fmt-hoods-gpkg2", 140, 1e-6);
    }

    /**
     * Census divisions with French names: in UTF-8 without a .cpg (the reader tells UTF-8 from Windows-1252), and
     * in Windows-1252 with GDAL's .cpg. ogr2ogr cuts field names to dBase's 10 characters (c2011_age_0_4 becomes
     * c2011_age_, c2011_age_5_9 c2011_ag_1, and so on), as any shapefile's are.
     */
    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "CP1252"})
    void censusDivisionsKeepTheirAccentsInEitherEncoding(String encoding) throws Exception {
        Path zip = BoundaryFiles.shapefileZip(CDS, dir, "cd_" + encoding, List.of("ENCODING=" + encoding),
                encoding.equals("UTF-8") ? new String[] {"shp", "shx", "dbf", "prj"} : new String[0]);
        String id = "fmt-cds-" + encoding.toLowerCase();
        CensusLoader.Report report = loader.load(cds(id, zip, new CensusImport.InProperties(Map.of("total",
                "c2011_tota", "age5to9", "c2011_ag_1", "age10to14", "c2011_ag_2", "age15to19", "c2011_ag_3",
                "age6to18", "c2011_ag_4")), "CDUID", "CDNAME"));
        assertThat(report.areas()).isEqualTo(293);
        assertThat(jdbc.queryForObject("SELECT name FROM census_area WHERE dataset_id = ? AND code = '2466'",
                String.class, id)).isEqualTo("Montréal");
        // Some published CD geometries are invalid; both routes repair them, so the land agrees less tightly.
        sameAreas("fmt-cds-geojson", id, 293, 1e-4);
        assertThat(report.youth6to18()).isCloseTo(5_095_505, within(293 * 2.5));
    }

    @Test
    void brokenShapefilesAreRefusedNamingFileRecordAndFieldAndChangeNothing() throws Exception {
        loader.load(hoods("fmt-broken", hoodsZip, null));
        String torontoCodeOfRecord5 = jdbc.queryForObject("""
                SELECT code FROM census_area WHERE dataset_id = 'fmt-broken' ORDER BY id OFFSET 4 LIMIT 1""",
                String.class);

        Path openRing = BoundaryFiles.withEntry(hoodsZip, dir.resolve("open.zip"), "shp",
                shp -> BoundaryFiles.openFirstRing(shp, 5));
        assertThatThrownBy(() -> loader.load(hoods("fmt-broken", openRing, null)))
                .isInstanceOfSatisfying(CensusLoadException.class, e -> assertThat(e.input()).isEqualTo("boundaries"))
                .hasMessageStartingWith("open.zip!hoods.shp: 1 area(s) cannot be loaded, nothing was changed:\n"
                        + "  record 5 (hood_id " + torontoCodeOfRecord5 + "): ring 1 of ")
                .hasMessageContaining("is not closed");

        Path truncated = BoundaryFiles.withEntry(hoodsZip, dir.resolve("cut.zip"), "shp",
                shp -> Arrays.copyOf(shp, shp.length / 2));
        assertThatThrownBy(() -> loader.load(hoods("fmt-broken", truncated, null)))
                .hasMessageMatching("cut\\.zip!hoods\\.shp: record \\d+ is cut off after \\d+ of its \\d+ bytes; the file "
                        + "is truncated");

        Path noDbf = BoundaryFiles.withEntry(hoodsZip, dir.resolve("nodbf.zip"), "dbf", dbf -> null);
        assertThatThrownBy(() -> loader.load(hoods("fmt-broken", noDbf, null)))
                .hasMessageStartingWith("nodbf.zip!hoods.shp: the .dbf file is missing");

        Path nad27 = BoundaryFiles.withEntry(hoodsZip, dir.resolve("nad27.zip"), "prj", prj -> new String(prj,
                StandardCharsets.US_ASCII).replace("North_American_1983", "North_American_1927")
                .getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> loader.load(hoods("fmt-broken", nad27, null)))
                .hasMessageStartingWith("nad27.zip!hoods.prj: unknown coordinate system "
                        + "\"NAD_1983_Statistics_Canada_Lambert\" (PROJCS)");

        CensusImport misnamed = new CensusImport("fmt-broken", CensusImport.Level.NEIGHBOURHOOD, "t", "v", "s", "l",
                hoodsZip, "hood_id", "name", "ON", new CensusImport.InProperties(Map.of("age5to9", "age_5_9",
                        "age10to14", "age_10_14", "age15to19", "age_15_to_19")));
        assertThatThrownBy(() -> loader.load(misnamed))
                .isInstanceOfSatisfying(CensusLoadException.class,
                        e -> assertThat(e.input()).isEqualTo("counts.properties.age15to19"))
                .hasMessageStartingWith("hoods.zip!hoods.shp: no field age_15_to_19 (counts.properties.age15to19); "
                        + "its fields are hood_id, name, pop2016");

        CensusImport noCode = new CensusImport("fmt-broken", CensusImport.Level.NEIGHBOURHOOD, "t", "v", "s", "l",
                hoodsZip, "HOODID", "name", "ON", new CensusImport.InProperties(BoundaryFiles.torontoBands()));
        assertThatThrownBy(() -> loader.load(noCode)).hasMessageStartingWith(
                "hoods.zip!hoods.shp: no field HOODID (codeProperty)");

        assertThat(jdbc.queryForObject("SELECT count(*) FROM census_area WHERE dataset_id = 'fmt-broken'",
                Integer.class)).isEqualTo(140);
        sameAreas("fmt-hoods-geojson", "fmt-broken", 140, 1e-6);
    }
}
