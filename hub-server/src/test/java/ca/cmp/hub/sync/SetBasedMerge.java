package ca.cmp.hub.sync;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync engine's merge as it was before the in-memory plan and the direct COPY (commit 09cc0b0): everything
 * staged, then one set-based upsert by (partnership, source id) with content hashes, sites replaced, history
 * written, vanished programs retired. Kept only as the oracle that {@link MergePathsTest} holds the fast paths
 * to: same stored rows, versions and counts. History is written as the schema keeps it since V8: each change in
 * the row it made (the upsert and the retirement state it), earlier entries stored by the schema's trigger.
 */
final class SetBasedMerge {

    private final JdbcTemplate jdbc;

    SetBasedMerge(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param fullSnapshot whether the batch is everything the source holds (enables retirement)
     * @param connectorId  the connector that read the batch, or null for a push
     * @param present      source ids the source did list but that were rejected: not retired for being absent
     */
    SyncEngine.Merge merge(UUID runId, UUID partnershipId, String source, UUID connectorId, List<StagedProgram> batch,
            boolean fullSnapshot, List<String> present) {
        jdbc.execute("SET LOCAL statement_timeout = 0");
        jdbc.execute("""
                CREATE TEMP TABLE stage_program (
                  id uuid, source_id text, name text, description text, min_age integer, max_age integer,
                  model text, setting text, languages text[], delivery_mode text, service_area_kind text,
                  service_radius_km double precision, service_area geometry(MultiPolygon, 4326),
                  active_matches integer, max_matches integer, waitlist integer, fee_free boolean,
                  fee_description text, status text, content_hash text, org_source_id text, org_name text,
                  org_website text, org_email text, org_phone text) ON COMMIT DROP""");
        jdbc.execute("""
                CREATE TEMP TABLE stage_site (
                  program_source_id text, ordinal integer, source_id text, name text, address text, city text,
                  province text, postal_code text, location geometry(Point, 4326), precision text) ON COMMIT DROP""");
        copy(batch);
        // Temporary tables get no statistics by themselves; the joins below need them.
        jdbc.execute("ANALYZE stage_program, stage_site");
        jdbc.update("""
                INSERT INTO organization AS o (id, partnership_id, source_id, name, website, email, phone)
                SELECT DISTINCT ON (org_source_id) gen_random_uuid(), ?, org_source_id, org_name, org_website,
                       org_email, org_phone
                FROM stage_program WHERE org_source_id IS NOT NULL ORDER BY org_source_id
                ON CONFLICT (partnership_id, source_id) DO UPDATE SET name = excluded.name,
                  website = excluded.website, email = excluded.email, phone = excluded.phone
                WHERE (o.name, o.website, o.email, o.phone)
                      IS DISTINCT FROM (excluded.name, excluded.website, excluded.email, excluded.phone)""",
                partnershipId);
        // Unchanged records (same content hash, not retired) need no upsert at all: dropped from the stage in one
        // hashed join, which makes re-reading an unchanged source cheap.
        jdbc.execute("CREATE TEMP TABLE stage_listed ON COMMIT DROP AS SELECT source_id FROM stage_program");
        jdbc.update("""
                DELETE FROM stage_program s USING program p
                WHERE p.partnership_id = ? AND p.source_id = s.source_id AND p.content_hash = s.content_hash
                  AND p.status <> 'RETIRED'""", partnershipId);
        jdbc.execute("CREATE TEMP TABLE changed (id uuid, source_id text, version integer, inserted boolean, "
                + "content_hash text) "
                + "ON COMMIT DROP");
        jdbc.update("""
                WITH up AS (
                  INSERT INTO program AS p (id, partnership_id, organization_id, name, description, min_age, max_age,
                    model, setting, languages, delivery_mode, service_area_kind, service_radius_km, service_area,
                    active_matches, max_matches, waitlist, fee_free, fee_description, status, source, source_id,
                    content_hash, connector_id, first_seen_at, last_changed_at, last_verified_at, version,
                    last_change, last_run_id)
                  SELECT s.id, ?, o.id, s.name, s.description, s.min_age, s.max_age, s.model, s.setting, s.languages,
                    s.delivery_mode, s.service_area_kind, s.service_radius_km, s.service_area, s.active_matches,
                    s.max_matches, s.waitlist, s.fee_free, s.fee_description, s.status, ?, s.source_id,
                    s.content_hash, ?, now(), now(), now(), 0, 'INSERTED', ?::uuid
                  FROM stage_program s
                  LEFT JOIN organization o ON o.partnership_id = ? AND o.source_id = s.org_source_id
                  ON CONFLICT (partnership_id, source_id) DO UPDATE SET organization_id = excluded.organization_id,
                    name = excluded.name, description = excluded.description, min_age = excluded.min_age,
                    max_age = excluded.max_age, model = excluded.model, setting = excluded.setting,
                    languages = excluded.languages, delivery_mode = excluded.delivery_mode,
                    service_area_kind = excluded.service_area_kind, service_radius_km = excluded.service_radius_km,
                    service_area = excluded.service_area, active_matches = excluded.active_matches,
                    max_matches = excluded.max_matches, waitlist = excluded.waitlist, fee_free = excluded.fee_free,
                    fee_description = excluded.fee_description, status = excluded.status, source = excluded.source,
                    content_hash = excluded.content_hash, connector_id = excluded.connector_id,
                    last_changed_at = now(), last_verified_at = now(), version = p.version + 1,
                    last_change = CASE WHEN p.status = 'RETIRED' THEN 'REACTIVATED' ELSE 'UPDATED' END,
                    last_run_id = excluded.last_run_id
                  WHERE p.content_hash IS DISTINCT FROM excluded.content_hash OR p.status = 'RETIRED'
                  RETURNING p.id, p.source_id, p.version, (p.version = 0) AS inserted, p.content_hash)
                INSERT INTO changed SELECT id, source_id, version, inserted, content_hash FROM up""",
                partnershipId, source, connectorId, runId, partnershipId);
        jdbc.execute("ANALYZE changed");
        jdbc.update("DELETE FROM site WHERE program_id IN (SELECT id FROM changed WHERE NOT inserted)");
        jdbc.update("""
                INSERT INTO site (id, program_id, source_id, name, address, city, province, postal_code, location,
                                  precision)
                SELECT gen_random_uuid(), c.id, ss.source_id, ss.name, ss.address, ss.city, ss.province,
                       ss.postal_code, ss.location, ss.precision
                FROM stage_site ss JOIN changed c ON c.source_id = ss.program_source_id
                ORDER BY c.id, ss.ordinal""");
        if (connectorId == null) {
            // A push re-states its programs: unchanged ones are verified now (a connector's are verified by its
            // last full sync instead, without touching their rows).
            jdbc.update("""
                    UPDATE program p SET last_verified_at = now() FROM stage_listed s
                    WHERE p.partnership_id = ? AND p.source_id = s.source_id
                      AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.id = p.id)""", partnershipId);
        }
        int retired = 0;
        if (fullSnapshot) {
            retired = jdbc.update("""
                    WITH missing AS (
                      -- Set difference (hashed), never a nested loop: the program table's statistics lag behind
                      -- a batch written in this same transaction, and a misestimate made this quadratic.
                      SELECT source_id FROM program
                      WHERE partnership_id = ? AND source = ? AND status <> 'RETIRED'
                      EXCEPT SELECT source_id FROM stage_listed
                      EXCEPT SELECT unnest(?::text[]))
                    UPDATE program p SET status = 'RETIRED', last_changed_at = now(), version = p.version + 1,
                      last_change = 'RETIRED', last_run_id = ?
                    FROM missing m WHERE p.partnership_id = ? AND p.source_id = m.source_id""", partnershipId, source,
                    present.toArray(String[]::new), runId, partnershipId);
        }
        Map<String, Object> counts = jdbc.queryForMap(
                "SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated "
                        + "FROM changed");
        int inserted = ((Number) counts.get("inserted")).intValue();
        int updated = ((Number) counts.get("updated")).intValue();
        jdbc.execute("DROP TABLE stage_site, stage_program, stage_listed, changed");
        return new SyncEngine.Merge(inserted, updated, batch.size() - inserted - updated, retired);
    }

    private void copy(List<StagedProgram> batch) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder programs = new StringBuilder(batch.size() * 256);
            StringBuilder sites = new StringBuilder(batch.size() * 160);
            for (StagedProgram p : batch) {
                StagedProgram.Organization org = p.organization();
                row(programs, UUID.randomUUID(), p.sourceId(), p.name(), p.description(), p.minAge(), p.maxAge(),
                        p.model(), p.setting(), array(p.languages()), p.mode(), p.serviceAreaKind(),
                        p.serviceRadiusKm(), p.serviceAreaEwkt(), p.activeMatches(), p.maxMatches(), p.waitlist(),
                        p.feeFree(), p.feeDescription(), p.status(), p.contentHash(),
                        org == null ? null : org.sourceId(), org == null ? null : org.name(),
                        org == null ? null : org.website(), org == null ? null : org.email(),
                        org == null ? null : org.phone());
                int ordinal = 0;
                for (StagedProgram.Site s : p.sites()) {
                    row(sites, p.sourceId(), ordinal++, s.sourceId(), s.name(), s.address(), s.city(), s.province(),
                            s.postalCode(), "SRID=4326;POINT(" + s.longitude() + " " + s.latitude() + ")",
                            s.precision());
                }
            }
            try {
                copy.copyIn("COPY stage_program FROM STDIN (FORMAT csv)", new StringReader(programs.toString()));
                copy.copyIn("COPY stage_site FROM STDIN (FORMAT csv)", new StringReader(sites.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY into staging failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** One CSV line; null is an unquoted empty field (COPY's NULL in CSV mode), text is always quoted. */
    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = values[i];
            if (v == null) {
                continue;
            }
            out.append('"').append(v.toString().replace("\"", "\"\"")).append('"');
        }
        out.append('\n');
    }

    private static String array(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

}
