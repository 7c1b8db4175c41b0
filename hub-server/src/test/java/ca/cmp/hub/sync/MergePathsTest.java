package ca.cmp.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import ca.cmp.hub.model.SourceBatch;
import ca.cmp.hub.connectors.geojson.GeoJsonConnector;
import ca.cmp.hub.connectors.postal.FsaCentroids;
import ca.cmp.hub.connectors.source.FieldMapping;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync engine's paths — new programs copied straight into the table, changed ones rewritten from a stage,
 * unchanged ones left alone, vanished ones retired, retired ones reactivated — store exactly what the set-based
 * upsert they replaced stored ({@link SetBasedMerge}), on the real 1,327 Toronto schools: the same counts, the
 * same program rows, sites, organizations and version history, round after round.
 */
@HubTest
class MergePathsTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Fixtures fixtures;

    @Autowired
    SyncEngine engine;

    @Autowired
    SyncRuns runs;

    @Autowired
    TransactionTemplate transaction;

    /** One partnership's side of the comparison: its connector (or none, for pushes) and its runs so far. */
    record Side(Partnership partnership, UUID connectorId, String source, List<UUID> runs) {
    }

    static List<StagedProgram> schools() throws Exception {
        FieldMapping mapping = FieldMapping.of(Map.of("fields", Map.of("sourceId", "school_id",
                "organization", "school_board", "city", "municipality"), "defaults",
                Map.of("setting", "SCHOOL", "model", "GROUP", "minAge", 6, "maxAge", 18, "radiusKm", 2)));
        SourceBatch batch = GeoJsonConnector.parse(
                Files.readString(OpenData.dir().resolve("places/toronto_schools.geojson")), mapping,
                FsaCentroids.empty(), read -> {
                });
        List<StagedProgram> accepted = ProgramValidator.validate(batch.programs(), i -> batch.labels().get(i))
                .accepted();
        assertThat(accepted).hasSize(1327);
        return accepted;
    }

    static StagedProgram renamed(StagedProgram p) {
        return new StagedProgram(p.sourceId(), p.name() + " (renamed)", p.description(), p.minAge(), p.maxAge(),
                p.model(), p.setting(), p.languages(), p.mode(), p.serviceAreaKind(), p.serviceRadiusKm(),
                p.serviceAreaEwkt(), p.activeMatches(), p.maxMatches(), p.waitlist(), p.feeFree(),
                p.feeDescription(), p.status(), p.organization(), p.sites());
    }

    /** Partnerships made here; their programs are removed afterwards (see {@link #removeWhatWasWritten}). */
    final List<UUID> partnerships = new ArrayList<>();

    /**
     * The test database is shared, and analyses over all partnerships (the PostGIS coverage oracle) would
     * otherwise meet 5,308 more schools: what this test wrote is removed, which no product path ever does.
     */
    @AfterEach
    void removeWhatWasWritten() {
        for (UUID p : partnerships) {
            jdbc.update("DELETE FROM program_prior_version WHERE program_id IN (SELECT id FROM program WHERE "
                    + "partnership_id = ?)", p);
            jdbc.update("DELETE FROM program WHERE partnership_id = ?", p);
            jdbc.update("DELETE FROM organization WHERE partnership_id = ?", p);
        }
        partnerships.clear();
    }

    Side side(String name, boolean connector) {
        Partnership partnership = fixtures.partnership(name);
        partnerships.add(partnership.getId());
        UUID connectorId = null;
        String source = ProgramPublisher.PUSH_SOURCE;
        if (connector) {
            connectorId = UUID.randomUUID();
            jdbc.update("INSERT INTO connector (id, partnership_id, name, kind, location) VALUES (?, ?, 'Schools', "
                    + "'GEOJSON', 'toronto_schools.geojson')", connectorId, partnership.getId());
            source = "connector:" + connectorId;
        }
        return new Side(partnership, connectorId, source, new ArrayList<>());
    }

    @ParameterizedTest(name = "connector: {0}")
    @ValueSource(booleans = {true, false})
    void everyPathStoresWhatTheSetBasedUpsertStored(boolean connector) throws Exception {
        Side fast = side("Merge paths", connector);
        Side reference = side("Merge paths (reference)", connector);
        SetBasedMerge setBased = new SetBasedMerge(jdbc);
        List<StagedProgram> all = schools();
        List<StagedProgram> changed = new ArrayList<>(all.subList(0, all.size() - 50));
        for (int i = 0; i < 100; i++) {
            changed.set(i * 7, renamed(changed.get(i * 7)));
        }
        List<String> present = List.of(all.get(all.size() - 1).sourceId());
        // First load, re-sync unchanged, 100 changed and 50 gone (one of them rejected, so kept), all back.
        List<List<StagedProgram>> rounds = List.of(all, all, changed, all);
        List<SyncEngine.Merge> expected = List.of(new SyncEngine.Merge(1327, 0, 0, 0),
                new SyncEngine.Merge(0, 0, 1327, 0), new SyncEngine.Merge(0, 100, 1177, 49),
                new SyncEngine.Merge(0, 149, 1178, 0));
        for (int r = 0; r < rounds.size(); r++) {
            List<StagedProgram> batch = rounds.get(r);
            SyncEngine.Merge got = transaction.execute(s -> engine.merge(run(fast), fast.partnership().getId(),
                    fast.source(), fast.connectorId(), batch, true, present));
            SyncEngine.Merge want = transaction.execute(s -> setBased.merge(run(reference),
                    reference.partnership().getId(), reference.source(), reference.connectorId(), batch, true,
                    present));
            assertThat(got).as("round %d", r).isEqualTo(want).isEqualTo(expected.get(r));
            assertThat(stored(fast)).as("round %d", r).isEqualTo(stored(reference));
        }
        assertThat(jdbc.queryForList("SELECT DISTINCT change FROM program_version v JOIN program p ON p.id = "
                + "v.program_id WHERE p.partnership_id = ? ORDER BY 1", String.class, fast.partnership().getId()))
                .containsExactly("INSERTED", "REACTIVATED", "RETIRED", "UPDATED");
    }

    /**
     * What a partnership holds, read ahead while its source is parsed, is used only if nothing has written its
     * programs since: a program retired by hand in between must be reactivated, as a merge reading it itself does.
     */
    @org.junit.jupiter.api.Test
    void whatWasReadAheadIsUsedOnlyIfNothingWroteThePartnershipsProgramsSince() throws Exception {
        Side side = side("Read ahead", true);
        UUID p = side.partnership().getId();
        List<StagedProgram> batch = schools().subList(0, 3);
        transaction.execute(s -> engine.merge(run(side), p, side.source(), side.connectorId(), batch, true,
                List.of()));

        StoredPrograms.Held fresh = engine.readAhead(p, side.source());
        assertThat(fresh.stored()).hasSize(3);
        SyncEngine.Merge withFresh = transaction.execute(s -> engine.merge(run(side), p, side.source(),
                side.connectorId(), batch, true, List.of(), fresh, new Phases()));
        assertThat(withFresh).isEqualTo(new SyncEngine.Merge(0, 0, 3, 0));

        StoredPrograms.Held stale = engine.readAhead(p, side.source());
        jdbc.update("UPDATE program SET status = 'RETIRED' WHERE partnership_id = ? AND source_id = ?", p,
                batch.get(1).sourceId());
        SyncEngine.Merge withStale = transaction.execute(s -> engine.merge(run(side), p, side.source(),
                side.connectorId(), batch, true, List.of(), stale, new Phases()));
        assertThat(withStale).isEqualTo(new SyncEngine.Merge(0, 1, 2, 0));
        assertThat(jdbc.queryForList("SELECT DISTINCT status FROM program WHERE partnership_id = ?", String.class,
                p)).containsExactly("ACTIVE");
    }

    private UUID run(Side side) {
        UUID run = runs.start(side.partnership().getId(), side.connectorId(), side.source(), true, "test");
        side.runs().add(run);
        return run;
    }

    /** Everything stored for a side, ids and times replaced by what they mean, one line per row. */
    private List<String> stored(Side side) {
        UUID p = side.partnership().getId();
        List<String> rows = new ArrayList<>();
        rows.addAll(lines("""
                SELECT 'program', p.source_id, o.source_id AS organization, p.name, p.description, p.min_age,
                  p.max_age, p.model, p.setting, p.languages::text, p.delivery_mode, p.service_area_kind,
                  p.service_radius_km, encode(ST_AsEWKB(p.service_area), 'hex'), p.active_matches, p.max_matches,
                  p.waitlist, p.fee_free, p.fee_description, p.status, p.source = ?, p.content_hash,
                  p.connector_id IS NOT DISTINCT FROM ?, p.version, p.first_seen_at = p.last_changed_at,
                  p.last_verified_at = p.last_changed_at, p.last_changed_at = max(p.last_changed_at) OVER (),
                  p.last_verified_at = max(p.last_verified_at) OVER ()
                FROM program p LEFT JOIN organization o ON o.id = p.organization_id
                WHERE p.partnership_id = ? ORDER BY p.source_id""", side, side.source(), side.connectorId(), p));
        rows.addAll(lines("""
                SELECT 'site', p.source_id, s.source_id, s.name, s.address, s.city, s.province, s.postal_code,
                  encode(ST_AsEWKB(s.location), 'hex'), s.precision
                FROM site s JOIN program p ON p.id = s.program_id WHERE p.partnership_id = ?
                ORDER BY 2, 3, 4, 5, 9""", side, p));
        rows.addAll(lines("""
                SELECT 'version', p.source_id, v.version, v.change, v.content_hash, v.run_id::text
                FROM program_version v JOIN program p ON p.id = v.program_id WHERE p.partnership_id = ?
                ORDER BY 2, 3""", side, p));
        rows.addAll(lines("""
                SELECT 'organization', source_id, name, website, email, phone FROM organization
                WHERE partnership_id = ? ORDER BY source_id""", side, p));
        return rows;
    }

    private List<String> lines(String sql, Side side, Object... args) {
        return jdbc.queryForList(sql, args).stream().map(row -> row.values().stream().map(v -> {
            String text = String.valueOf(v);
            int round = side.runs().indexOf(v == null ? null : tryUuid(text));
            return round >= 0 ? "run " + round : text;
        }).collect(Collectors.joining("|"))).toList();
    }

    private static UUID tryUuid(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
