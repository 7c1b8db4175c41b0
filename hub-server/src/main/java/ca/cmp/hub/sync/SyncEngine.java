package ca.cmp.hub.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.cache.DataVersion;
import ca.cmp.hub.sync.internal.BinaryCopy;
import ca.cmp.hub.sync.internal.CsvCopy;
import ca.cmp.hub.sync.internal.PointEwkb;
import ca.cmp.hub.sync.internal.TimeOrderedIds;
import ca.cmp.hub.sync.internal.ZOrder;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch of validated programs of one partnership and one source, in the caller's transaction (so a run
 * is atomic: all of it or, on any failure, none of it).
 *
 * <p>Merges of one partnership are serialised by a transaction-scoped advisory lock; what the partnership holds
 * (source id, id, content hash, status, version) is read once and the batch is compared with it in memory
 * ({@link MergePlan}). Unchanged records (same content hash, not retired) are then not written at all, not even
 * staged. New programs and their sites are streamed with COPY straight into the tables, ids assigned up front;
 * changed (or reactivated) programs are staged and rewritten in one statement, keeping their ids, and only then
 * are their sites replaced. With a FULL snapshot, programs of this source that the batch no longer lists are
 * retired, never deleted. Every change is recorded under the run's id and reads back from {@code program_version}:
 * the change that made a program's current version is written into its row ({@code last_change},
 * {@code last_run_id}), and the schema's trigger stores the entry of the version it leaves (V8). Every constraint
 * of the schema is checked by PostgreSQL as before; a program's references (partnership, organization, connector,
 * run) and a site's program once per statement rather than once per row (V9). The per-row cost that remains is the
 * indexes'.
 */
@Component
public class SyncEngine {

    /** First key of the transaction-scoped advisory locks that serialise merges of one partnership. */
    private static final int LOCK_SPACE = 0x53594e43;

    private final JdbcTemplate jdbc;
    private final DataVersion dataVersion;
    /** Read-only, repeatable read: what a partnership holds and its revision, in one snapshot. */
    private final TransactionTemplate snapshot;

    SyncEngine(JdbcTemplate jdbc, DataVersion dataVersion, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.dataVersion = dataVersion;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** What the partnership holds now, for a merge to come ({@link StoredPrograms.Held}). */
    StoredPrograms.Held readAhead(UUID partnershipId, String source) {
        return snapshot.execute(s -> StoredPrograms.held(jdbc, partnershipId, source));
    }

    /** What a merge did. */
    public record Merge(int inserted, int updated, int unchanged, int retired) {
    }

    /**
     * @param fullSnapshot whether the batch is everything the source holds (enables retirement)
     * @param connectorId  the connector that read the batch, or null for a push
     * @param present      source ids the source did list but that were rejected: not retired for being absent
     */
    public Merge merge(UUID runId, UUID partnershipId, String source, UUID connectorId, List<StagedProgram> batch,
            boolean fullSnapshot, List<String> present) {
        return merge(runId, partnershipId, source, connectorId, batch, fullSnapshot, present, null, new Phases());
    }

    /** @param ahead what the partnership held, read ahead ({@link #readAhead}), or null to read it here */
    Merge merge(UUID runId, UUID partnershipId, String source, UUID connectorId, List<StagedProgram> batch,
            boolean fullSnapshot, List<String> present, StoredPrograms.Held ahead, Phases phases) {
        return merge(runId, partnershipId, source, connectorId, batch, fullSnapshot, present, List.of(), ahead,
                phases);
    }

    /** @param retiredUpstream source ids the source says it retired (an upstream hub's): retired here as well */
    Merge merge(UUID runId, UUID partnershipId, String source, UUID connectorId, List<StagedProgram> batch,
            boolean fullSnapshot, List<String> present, List<String> retiredUpstream, StoredPrograms.Held ahead,
            Phases phases) {
        jdbc.execute("SET LOCAL statement_timeout = 0");
        lock(partnershipId);
        // The transaction's timestamp, so that rows written by COPY carry exactly what now() gives.
        OffsetDateTime now = jdbc.queryForObject("SELECT now()", OffsetDateTime.class);
        Map<String, StoredPrograms.Stored> stored;
        if (ahead != null && ahead.revision() == programsRevision(partnershipId)) {
            stored = ahead.stored();
            phases.mark("stored, read ahead");
        } else {
            stored = StoredPrograms.of(jdbc, partnershipId, source);
            phases.mark("read stored");
        }
        Map<String, UUID> organizations = organizations(partnershipId, batch);
        phases.mark("organizations");
        MergePlan plan = MergePlan.of(batch, stored, organizations, fullSnapshot, present, retiredUpstream);
        phases.mark("diff");
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            if (!plan.updates().isEmpty()) {
                update(copy, plan.updates(), source, connectorId, runId);
                phases.mark("update programs");
                jdbc.update("DELETE FROM site WHERE program_id = ANY (?)", (Object) plan.updatedIds());
                phases.mark("delete replaced sites");
            }
            if (!plan.inserts().isEmpty()) {
                insert(copy, plan.inserts(), partnershipId, source, connectorId, runId, now);
                phases.mark("insert programs");
            }
            if (!plan.written().isEmpty()) {
                sites(copy, plan.written());
                phases.mark("insert sites");
            }
            return null;
        });
        if (connectorId == null && !(plan.unchangedIds().length == 0)) {
            // A push re-states its programs: unchanged ones are verified now (a connector's are verified by its
            // last full sync instead, without touching their rows).
            jdbc.update("UPDATE program SET last_verified_at = now() WHERE id = ANY (?)",
                    (Object) plan.unchangedIds());
            phases.mark("verify pushed");
        }
        int retired = 0;
        if (!(plan.retiredIds().length == 0)) {
            retired = retireIds(runId, plan.retiredIds());
            phases.mark("retire");
        }
        int inserted = plan.inserts().size();
        int updated = plan.updates().size();
        if (inserted + updated + retired > 0) {
            dataVersion.bump();
        }
        return new Merge(inserted, updated, batch.size() - inserted - updated, retired);
    }

    /** How many statements have written the partnership's programs (V10), as this transaction sees it. */
    long programsRevision(UUID partnershipId) {
        return jdbc.queryForObject("SELECT programs_revision FROM partnership WHERE id = ?", Long.class,
                partnershipId);
    }

    /** Retires the named programs of a partnership (any source); returns how many were active. */
    public int retire(UUID runId, UUID partnershipId, List<String> sourceIds) {
        lock(partnershipId);
        dataVersion.bump();
        return jdbc.update("""
                UPDATE program p SET status = 'RETIRED', last_changed_at = now(), version = p.version + 1,
                  last_change = 'RETIRED', last_run_id = ?
                WHERE p.partnership_id = ? AND p.source_id = ANY (?) AND p.status <> 'RETIRED'""", runId,
                partnershipId, sourceIds.toArray(String[]::new));
    }

    /** Of these source ids, those with no program of the partnership that is not already retired. */
    public List<String> missingOrRetired(UUID partnershipId, List<String> sourceIds) {
        return jdbc.queryForList("""
                SELECT wanted FROM unnest(?::text[]) AS wanted WHERE NOT EXISTS (
                  SELECT 1 FROM program p WHERE p.partnership_id = ? AND p.source_id = wanted
                    AND p.status <> 'RETIRED')""",
                String.class, sourceIds.toArray(String[]::new), partnershipId);
    }

    /**
     * Merges of one partnership wait for each other (until the holder commits or rolls back): what is stored is
     * read once and compared in memory, so nothing may change it between that read and the writes.
     */
    private void lock(UUID partnershipId) {
        jdbc.queryForObject("SELECT 1 FROM pg_advisory_xact_lock(?, ?)", Integer.class, LOCK_SPACE,
                partnershipId.hashCode());
    }

    private int retireIds(UUID runId, UUID[] ids) {
        return jdbc.update("""
                UPDATE program p SET status = 'RETIRED', last_changed_at = now(), version = p.version + 1,
                  last_change = 'RETIRED', last_run_id = ?
                WHERE p.id = ANY (?) AND p.status <> 'RETIRED'""", runId, ids);
    }

    /**
     * Upserts the batch's organizations (each once, as first given) and returns the id of each by source id.
     * Only rows whose details differ are rewritten.
     */
    private Map<String, UUID> organizations(UUID partnershipId, List<StagedProgram> batch) {
        Map<String, StagedProgram.Organization> distinct = new LinkedHashMap<>();
        for (StagedProgram p : batch) {
            if (p.organization() != null) {
                distinct.putIfAbsent(p.organization().sourceId(), p.organization());
            }
        }
        Map<String, UUID> ids = new HashMap<>();
        if (distinct.isEmpty()) {
            return ids;
        }
        jdbc.execute("CREATE TEMP TABLE stage_org (source_id text, name text, website text, email text, "
                + "phone text) ON COMMIT DROP");
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            CsvCopy rows = new CsvCopy(connection.unwrap(PGConnection.class).getCopyAPI(),
                    "COPY stage_org FROM STDIN (FORMAT csv)");
            for (StagedProgram.Organization o : distinct.values()) {
                rows.row(o.sourceId(), o.name(), o.website(), o.email(), o.phone());
            }
            rows.finish();
            return null;
        });
        jdbc.update("""
                INSERT INTO organization AS o (id, partnership_id, source_id, name, website, email, phone)
                SELECT gen_random_uuid(), ?, source_id, name, website, email, phone FROM stage_org
                ON CONFLICT (partnership_id, source_id) DO UPDATE SET name = excluded.name,
                  website = excluded.website, email = excluded.email, phone = excluded.phone
                WHERE (o.name, o.website, o.email, o.phone)
                      IS DISTINCT FROM (excluded.name, excluded.website, excluded.email, excluded.phone)""",
                partnershipId);
        jdbc.query("SELECT o.source_id, o.id FROM organization o JOIN stage_org s ON s.source_id = o.source_id "
                + "WHERE o.partnership_id = ?", (ResultSet rs) -> {
                    ids.put(rs.getString(1), rs.getObject(2, UUID.class));
                }, partnershipId);
        jdbc.execute("DROP TABLE stage_org");
        return ids;
    }

    /** New programs go straight into the table with (binary) COPY, their ids assigned beforehand. */
    private static void insert(CopyManager copy, List<MergePlan.Write> inserts, UUID partnershipId, String source,
            UUID connectorId, UUID runId, OffsetDateTime now) throws SQLException {
        BinaryCopy rows = new BinaryCopy(copy, """
                COPY program (id, partnership_id, organization_id, name, description, min_age, max_age, model,
                  setting, languages, delivery_mode, service_area_kind, service_radius_km, service_area,
                  active_matches, max_matches, waitlist, fee_free, fee_description, status, source, source_id,
                  content_hash, connector_id, last_verified_at, version, last_change, last_run_id)
                FROM STDIN (FORMAT binary)""");
        // first_seen_at and last_changed_at take their default, now(): the transaction's time, as last_verified_at.
        for (MergePlan.Write w : inserts) {
            StagedProgram p = w.program();
            rows.row(28).uuid(w.id()).uuid(partnershipId).uuid(w.organizationId()).text(p.name())
                    .text(p.description()).int4(p.minAge()).int4(p.maxAge()).text(p.model()).text(p.setting())
                    .textArray(p.languages()).text(p.mode()).text(p.serviceAreaKind()).float8(p.serviceRadiusKm())
                    .bytes(ewkb(p.serviceAreaEwkt())).int4(p.activeMatches()).int4(p.maxMatches())
                    .int4(p.waitlist()).bool(p.feeFree()).text(p.feeDescription()).text(p.status()).text(source)
                    .text(p.sourceId()).text(w.contentHash()).uuid(connectorId).timestamptz(now).int4(0)
                    .text(w.change()).uuid(runId);
        }
        rows.finish();
    }

    /** A service area's EWKT (SRID 4326, as validated) as EWKB, the binary form COPY takes; null stays null. */
    static byte[] ewkb(String ewkt) {
        if (ewkt == null) {
            return null;
        }
        String prefix = "SRID=4326;";
        if (!ewkt.startsWith(prefix)) {
            throw new IllegalArgumentException("not an EWKT of SRID 4326: " + ewkt);
        }
        try {
            Geometry g = new WKTReader().read(ewkt.substring(prefix.length()));
            g.setSRID(4326);
            return new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN, true).write(g);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not an EWKT: " + ewkt, e);
        }
    }

    /** Changed (or reactivated) programs: staged, then rewritten in one statement, keeping their ids. */
    private void update(CopyManager copy, List<MergePlan.Write> updates, String source, UUID connectorId,
            UUID runId) throws SQLException {
        jdbc.execute("""
                CREATE TEMP TABLE stage_program (
                  id uuid, organization_id uuid, name text, description text, min_age integer, max_age integer,
                  model text, setting text, languages text[], delivery_mode text, service_area_kind text,
                  service_radius_km double precision, service_area geometry(MultiPolygon, 4326),
                  active_matches integer, max_matches integer, waitlist integer, fee_free boolean,
                  fee_description text, status text, content_hash text, version integer, change text)
                  ON COMMIT DROP""");
        CsvCopy rows = new CsvCopy(copy, "COPY stage_program FROM STDIN (FORMAT csv)");
        for (MergePlan.Write w : updates) {
            StagedProgram p = w.program();
            rows.row(w.id(), w.organizationId(), p.name(), p.description(), p.minAge(), p.maxAge(), p.model(),
                    p.setting(), CsvCopy.array(p.languages()), p.mode(), p.serviceAreaKind(), p.serviceRadiusKm(),
                    p.serviceAreaEwkt(), p.activeMatches(), p.maxMatches(), p.waitlist(), p.feeFree(),
                    p.feeDescription(), p.status(), w.contentHash(), w.version(), w.change());
        }
        rows.finish();
        // Temporary tables get no statistics by themselves; the join below needs them.
        jdbc.execute("ANALYZE stage_program");
        jdbc.update("""
                UPDATE program p SET organization_id = s.organization_id, name = s.name,
                  description = s.description, min_age = s.min_age, max_age = s.max_age, model = s.model,
                  setting = s.setting, languages = s.languages, delivery_mode = s.delivery_mode,
                  service_area_kind = s.service_area_kind, service_radius_km = s.service_radius_km,
                  service_area = s.service_area, active_matches = s.active_matches, max_matches = s.max_matches,
                  waitlist = s.waitlist, fee_free = s.fee_free, fee_description = s.fee_description,
                  status = s.status, source = ?, content_hash = s.content_hash, connector_id = ?,
                  last_changed_at = now(), last_verified_at = now(), version = s.version,
                  last_change = s.change, last_run_id = ?
                FROM stage_program s WHERE p.id = s.id""", source, connectorId, runId);
        jdbc.execute("DROP TABLE stage_program");
    }

    /** A program's first site as {longitude, latitude}, or null: the point its sites are ordered by. */
    static double[] firstSite(MergePlan.Write w) {
        List<StagedProgram.Site> sites = w.program().sites();
        return sites.isEmpty() ? null : new double[] {sites.get(0).longitude(), sites.get(0).latitude()};
    }

    /** The sites of every written program, straight into the table, in {@link ZOrder} (each program's in order). */
    private static void sites(CopyManager copy, List<MergePlan.Write> written) throws SQLException {
        BinaryCopy rows = new BinaryCopy(copy, """
                COPY site (id, program_id, source_id, name, address, city, province, postal_code, location, precision)
                FROM STDIN (FORMAT binary)""");
        for (MergePlan.Write w : ZOrder.ordered(written, SyncEngine::firstSite)) {
            for (StagedProgram.Site s : w.program().sites()) {
                rows.row(10).uuid(TimeOrderedIds.next()).uuid(w.id()).text(s.sourceId()).text(s.name())
                        .text(s.address()).text(s.city()).text(s.province()).text(s.postalCode())
                        .bytes(PointEwkb.bytes(s.longitude(), s.latitude())).text(s.precision());
            }
        }
        rows.finish();
    }
}
