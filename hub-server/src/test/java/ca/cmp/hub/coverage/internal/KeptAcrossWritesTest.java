package ca.cmp.hub.coverage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.coverage.AnalysisArea;
import ca.cmp.hub.coverage.AnalysisBaseline;
import ca.cmp.hub.coverage.AnalysisRegion;
import ca.cmp.hub.coverage.CoverageAnalysis;
import ca.cmp.hub.coverage.CoverageFilter;
import ca.cmp.hub.geo.areal.ArealCoverage;
import ca.cmp.hub.geo.areal.CensusUnit;
import ca.cmp.hub.geo.areal.GapAreas;
import ca.cmp.hub.geo.areal.ServiceReach;
import ca.cmp.hub.geo.areal.TwoStepFloatingCatchment;
import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.TestProgram;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.geom.Envelope;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The kept inputs and the kept analysis carried across writes: after programs are moved, retired and added (as a
 * sync writes them), only those programs' service areas are read again, the kept analysis is moved rather than
 * computed again, and its coverage, access and gaps equal a computation from scratch on inputs read afresh
 * from PostGIS, and (covered youth) the independent PostGIS computation.
 */
@HubTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeptAcrossWritesTest {

    static final String TORONTO = "toronto-neighbourhoods";

    @Autowired
    CensusLoader loader;

    @Autowired
    CensusDatasets datasets;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataVersion dataVersion;

    @Autowired
    CoverageInputs inputs;

    @Autowired
    CoverageAnalysis analysis;

    Partnership mine;
    List<UUID> programs = new ArrayList<>();

    @BeforeAll
    void data() throws Exception {
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals(TORONTO)) {
                loader.load(layer);
            }
        }
        mine = fixtures.partnership("Kept across writes (synthetic programs at real places)");
        Random random = new Random(14);
        for (int i = 0; i < 30; i++) {
            int min = 6 + random.nextInt(6);
            TestProgram p = fixtures.program(mine, "Program " + i, 43.62 + random.nextDouble() * 0.2,
                    -79.55 + random.nextDouble() * 0.4, min, Math.min(18, min + 3 + random.nextInt(8)),
                    MentoringModel.GROUP, ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en"))
                    .radius(0.8 + random.nextDouble() * 2);
            programs.add(fixtures.save(p).getId());
        }
    }

    private CoverageAnalysis.Request request(CoverageFilter filter) {
        return new CoverageAnalysis.Request(datasets.find(TORONTO).orElseThrow(), AnalysisRegion.all(), filter);
    }

    private CoverageFilter mineOnly() {
        return new CoverageFilter(6, 18, List.of(), List.of(), List.of(), List.of(), List.of(mine.getId()));
    }

    @Test
    void aWriteMovesTheKeptAnalysisAndItEqualsAFreshComputation() {
        CoverageAnalysis.Request request = request(mineOnly());
        AnalysisBaseline before = analysis.baseline(request);
        CoverageAnalysis.Figures today = analysis.figures(request);
        long rereadBefore = inputs.programsReread();

        // As a sync writes them: one program's site moved, one retired, one added; each stamps last_changed_at.
        tx.executeWithoutResult(status -> {
            jdbc.sql("""
                    UPDATE site SET location = ST_SetSRID(ST_MakePoint(-79.30, 43.70), 4326) WHERE program_id = ?""")
                    .param(programs.get(0)).update();
            jdbc.sql("UPDATE program SET last_changed_at = now(), version = version + 1 WHERE id = ?")
                    .param(programs.get(0)).update();
            jdbc.sql("UPDATE program SET status = 'RETIRED', last_changed_at = now(), version = version + 1 "
                    + "WHERE id = ?").param(programs.get(1)).update();
            jdbc.sql("UPDATE program SET max_matches = 90, last_changed_at = now(), version = version + 1 "
                    + "WHERE id = ?").param(programs.get(2)).update();
            dataVersion.bump();
        });
        fixtures.save(fixtures.program(mine, "Added", 43.66, -79.40, 6, 18, MentoringModel.GROUP,
                ProgramSetting.COMMUNITY, DeliveryMode.IN_PERSON, List.of("en")).radius(2));

        CoverageAnalysis.Figures after = analysis.figures(request);
        assertThat(analysis.baseline(request)).as("moved, not computed again").isSameAs(before);
        // The four written programs (the added one's own write included), not the 30: nothing else changed since.
        assertThat(inputs.programsReread() - rereadBefore).isBetween(4L, 6L);
        assertThat(after.covered()).isNotEqualTo(today.covered());

        Fresh fresh = fresh(request.filter());
        assertThat(after.youth()).isCloseTo(fresh.coverage().youth(), within(1e-9 * fresh.coverage().youth()));
        assertThat(after.covered()).isCloseTo(fresh.coverage().covered(), within(1e-9 * fresh.coverage().youth()));
        for (int i = 0; i < after.areas().size(); i++) {
            ca.cmp.hub.geo.areal.AreaFigures e = fresh.coverage().areas().get(i);
            CoverageAnalysis.AreaRow a = after.areas().get(i);
            assertThat(a.code()).isEqualTo(e.id());
            assertThat(a.covered()).as(e.id()).isCloseTo(e.covered(), within(1e-9 * Math.max(1, e.youth())));
            assertThat(a.programsReaching()).as(e.id()).isEqualTo(e.programsReaching());
        }
        CoverageAnalysis.Access access = analysis.access(request);
        assertThat(access.placesPer1000()).isCloseTo(fresh.access().placesPer1000(),
                within(1e-9 * Math.max(1, fresh.access().placesPer1000())));
        assertThat(analysis.gaps(request).gaps()).hasSize(Math.min(fresh.gaps().size(),
                ca.cmp.hub.coverage.AnalysisArguments.MAX_GAPS));
        assertThat(analysis.gaps(request).gaps().get(0).unmetYouth()).isCloseTo(fresh.gaps().get(0).unmetYouth(),
                within(1e-6));
    }

    @Test
    void afterWritesCoveredYouthStillAgreesWithPostgis() {
        CoverageAnalysis.Request request = request(mineOnly());
        analysis.figures(request);
        tx.executeWithoutResult(status -> {
            jdbc.sql("""
                    UPDATE site SET location = ST_SetSRID(ST_MakePoint(-79.45, 43.75), 4326) WHERE program_id = ?""")
                    .param(programs.get(5)).update();
            jdbc.sql("UPDATE program SET last_changed_at = now(), version = version + 1 WHERE id = ?")
                    .param(programs.get(5)).update();
            dataVersion.bump();
        });
        CoverageAnalysis.Figures hub = analysis.figures(request);
        Map<String, ca.cmp.hub.coverage.PostgisCoverageOracle.Figures> oracle =
                ca.cmp.hub.coverage.PostgisCoverageOracle.covered(jdbc, tx, TORONTO, 6, 18,
                        analysis.circleQuadrantSegments(), List.of(mine.getId()));
        double expected = oracle.values().stream().mapToDouble(f -> f.covered()).sum();
        assertThat(hub.covered()).isCloseTo(expected, within(0.001 * expected));
        for (CoverageAnalysis.AreaRow row : hub.areas()) {
            var e = oracle.get(row.code());
            assertThat(row.covered()).as(row.code()).isCloseTo(e.covered(), within(Math.max(0.5, 0.005 * e.youth())));
        }
    }

    record Fresh(ArealCoverage.Result coverage, TwoStepFloatingCatchment.Result access, List<GapAreas.Gap> gaps) {
    }

    /** Everything read from PostGIS again (nothing kept) and computed in full. */
    private Fresh fresh(CoverageFilter filter) {
        CoverageInputs none = new CoverageInputs(jdbc, dataVersion, false);
        List<AnalysisArea> areas = none.areas(TORONTO, AnalysisRegion.all());
        List<CensusUnit> units = new ArrayList<>();
        Envelope extent = new Envelope();
        for (AnalysisArea a : areas) {
            units.add(new CensusUnit(a.code(), a.geometry(), a.youthByAge()));
            extent.expandToInclude(a.geometry().getEnvelopeInternal());
        }
        List<ServiceReach> reaches = new ArrayList<>();
        for (CoverageInputs.Reach r : none.reaches(filter, extent)) {
            reaches.add(new ServiceReach(r.programId().toString(), r.serviceArea(), r.minAge(), r.maxAge(),
                    r.maxMatches() == null ? 0 : r.maxMatches(), r.waitlist() == null ? 0 : r.waitlist()));
        }
        return new Fresh(ArealCoverage.compute(units, reaches, filter.minAge(), filter.maxAge()),
                TwoStepFloatingCatchment.compute(units, reaches, filter.minAge(), filter.maxAge()),
                GapAreas.find(units, reaches, filter.minAge(), filter.maxAge(), CoverageAnalysis.SLIVER_M2));
    }
}
