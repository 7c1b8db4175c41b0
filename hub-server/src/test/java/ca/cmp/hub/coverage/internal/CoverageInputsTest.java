package ca.cmp.hub.coverage.internal;

import ca.cmp.hub.coverage.AnalysisRegion;
import ca.cmp.hub.coverage.AnalysisArea;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.geo.areal.CircleVertices;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.program.Program;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inputs kept in memory between analyses are exactly what PostGIS gives, and a write is seen by the very
 * next analysis: programs added or closed, a census layer reloaded; a program write leaves the projected census
 * areas kept.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoverageInputsTest {

    static final Envelope CANADA_3347 = new Envelope(3_000_000, 10_000_000, 0, 5_000_000);

    @Autowired
    CoverageInputs kept;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataVersion dataVersion;

    @Autowired
    Fixtures fixtures;

    @Autowired
    CensusLoader loader;

    CoverageInputs fromPostgis;

    @BeforeAll
    void data() {
        fromPostgis = new CoverageInputs(jdbc, dataVersion, false);
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals("toronto-neighbourhoods") && jdbc.sql(
                    "SELECT count(*) FROM census_dataset WHERE id = 'toronto-neighbourhoods'").query(Integer.class)
                    .single() == 0) {
                loader.load(layer);
            }
        }
    }

    @Test
    void keptAreasAreThoseReadFromPostgis() {
        List<String> some = List.of("001", "077", "140");
        for (AnalysisRegion region : List.of(AnalysisRegion.all(),
                new AnalysisRegion("ON", null, null), new AnalysisRegion(null, some, null))) {
            List<AnalysisArea> a = kept.areas("toronto-neighbourhoods", region);
            List<AnalysisArea> b = fromPostgis.areas("toronto-neighbourhoods", region);
            assertThat(a).extracting(AnalysisArea::code).isEqualTo(b.stream()
                    .map(AnalysisArea::code).toList()).isNotEmpty();
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).youthByAge()).containsExactly(b.get(i).youthByAge());
                assertThat(a.get(i).geometry().equalsExact(b.get(i).geometry(), 1e-6)).isTrue();
            }
        }
        assertThat(kept.areas("toronto-neighbourhoods", new AnalysisRegion(null, some, null)))
                .hasSize(kept.areas("toronto-neighbourhoods", AnalysisRegion.all()).stream()
                        .filter(a -> some.contains(a.code())).toList().size());
        assertThat(kept.areas("toronto-neighbourhoods", new AnalysisRegion("QC", null, null))).isEmpty();
    }

    @Test
    void programsAddedOrClosedAreSeenByTheNextAnalysis() {
        Partnership mine = fixtures.partnership("Inputs test (synthetic programs)");
        CoverageFilter ours = new CoverageFilter(6, 18, List.of(), List.of(), List.of(), List.of(),
                List.of(mine.getId()));
        Program a = fixtures.save(program(mine, "A", 43.70, -79.40));
        assertThat(ids(kept.reaches(ours, CANADA_3347))).containsExactly(a.getId());
        Program b = fixtures.save(program(mine, "B", 43.75, -79.30));
        assertThat(ids(kept.reaches(ours, CANADA_3347))).containsExactlyInAnyOrder(a.getId(), b.getId());
        fixtures.save(a, ProgramStatus.CLOSED);
        List<CoverageInputs.Reach> now = kept.reaches(ours, CANADA_3347);
        assertThat(ids(now)).containsExactly(b.getId());
        // The kept service area is PostGIS' own buffer, ages and capacity read fresh.
        CoverageInputs.Reach direct = fromPostgis.reaches(ours, CANADA_3347).get(0);
        assertThat(now.get(0).serviceArea().equalsExact(direct.serviceArea(), 1e-6)).isTrue();
        assertThat(now.get(0).serviceArea().getNumPoints()).isEqualTo(4 * kept.circleQuadrantSegments() + 1);
        assertThat(List.of(now.get(0).minAge(), now.get(0).maxAge(), now.get(0).maxMatches()))
                .isEqualTo(List.of(direct.minAge(), direct.maxAge(), direct.maxMatches()));
        // The filter still applies: none of ours is a one-to-one program.
        assertThat(kept.reaches(new CoverageFilter(6, 18, List.of(MentoringModel.ONE_TO_ONE), List.of(), List.of(),
                List.of(), List.of(mine.getId())), CANADA_3347)).isEmpty();
    }

    /**
     * A radius program's circle has the vertices of the configured area tolerance (the default 0.01%: 260), and
     * misses the predicted share of the same site's buffer drawn with 8,192 vertices, projected alike; the 64-gon
     * PostGIS draws by default would miss 16 times as much.
     */
    @Test
    void aRadiusProgramsCircleMissesAtMostTheAreaToleranceOfItsDisc() {
        Partnership mine = fixtures.partnership("Inputs test, circle tolerance (synthetic programs)");
        Program p = fixtures.save(program(mine, "Circle", 45.50, -73.57));
        CoverageInputs.Reach reach = kept.reaches(new CoverageFilter(6, 18, List.of(), List.of(), List.of(),
                List.of(), List.of(mine.getId())), CANADA_3347).get(0);
        assertThat(kept.circleQuadrantSegments()).isEqualTo(65);
        assertThat(reach.serviceArea().getNumPoints()).isEqualTo(261);
        String buffered = """
                SELECT ST_Area(ST_Transform(ST_Buffer(s.location::geography, p.service_radius_km * 1000, %d)::geometry,
                                            3347))
                FROM program p JOIN site s ON s.program_id = p.id WHERE p.id = :id""";
        double fine = jdbc.sql(buffered.formatted(2048)).param("id", p.getId()).query(Double.class).single();
        double coarse = jdbc.sql(buffered.formatted(16)).param("id", p.getId()).query(Double.class).single();
        double expected = CircleVertices.areaDeficit(260) - CircleVertices.areaDeficit(8192);
        assertThat(1 - reach.serviceArea().getArea() / fine).isCloseTo(expected, within(1e-6)).isLessThan(1e-4);
        assertThat(1 - coarse / fine).isCloseTo(CircleVertices.areaDeficit(64) - CircleVertices.areaDeficit(8192),
                within(1e-5));
    }

    @Test
    void aProgramWriteKeepsTheAreasAlreadyProjected() {
        List<AnalysisArea> before = kept.areas("toronto-neighbourhoods", AnalysisRegion.all());
        long version = dataVersion.current();
        fixtures.save(program(fixtures.partnership("Inputs test, areas kept"), "C", 43.66, -79.38));
        assertThat(dataVersion.current()).isGreaterThan(version);
        assertThat(kept.areas("toronto-neighbourhoods", AnalysisRegion.all())).isSameAs(before);
    }

    @Test
    void aReloadedCensusLayerIsSeenByTheNextAnalysis(@TempDir Path dir) throws Exception {
        load(dir, 2);
        assertThat(kept.areas("inputs-test", AnalysisRegion.all())).hasSize(2);
        load(dir, 3);
        assertThat(kept.areas("inputs-test", AnalysisRegion.all())).extracting(AnalysisArea::code)
                .containsExactly("T1", "T2", "T3");
    }

    private void load(Path dir, int squares) throws Exception {
        StringBuilder json = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 1; i <= squares; i++) {
            double x = -79.5 + i * 0.01;
            json.append(i > 1 ? "," : "").append("""
                    {"type":"Feature","properties":{"code":"T%d","name":"Square %d","total":100,"a":10,"b":10,"c":10},
                     "geometry":{"type":"Polygon","coordinates":[[[%f,43.7],[%f,43.7],[%f,43.71],[%f,43.71],[%f,43.7]]]}}
                    """.formatted(i, i, x, x + 0.01, x + 0.01, x, x));
        }
        Path file = dir.resolve("squares-" + squares + ".geojson");
        Files.writeString(file, json.append("]}").toString());
        loader.load(new CensusImport("inputs-test", CensusImport.Level.NEIGHBOURHOOD, "Test squares", "test",
                "test", "test", file, "code", "name", "ON", new CensusImport.InProperties(Map.of("total", "total",
                        "age5to9", "a", "age10to14", "b", "age15to19", "c"))));
    }

    private Program program(Partnership p, String name, double lat, double lon) {
        return fixtures.program(p, name, lat, lon, 6, 18, MentoringModel.GROUP, ProgramSetting.COMMUNITY,
                DeliveryMode.IN_PERSON, List.of("en"));
    }

    private static List<UUID> ids(List<CoverageInputs.Reach> reaches) {
        return reaches.stream().map(CoverageInputs.Reach::programId).toList();
    }
}
