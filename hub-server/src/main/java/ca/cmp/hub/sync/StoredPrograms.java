package ca.cmp.hub.sync;

import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a partnership already holds, keyed by source id: read once per merge (one index range scan) so that new,
 * changed, unchanged and vanished records are told apart in memory, without staging every record in the database
 * first. Unchanged records then cost nothing but this read, which keeps the re-sync of an unchanged source cheap.
 */
final class StoredPrograms {

    /** One stored program: what the merge needs to decide, and to write a version without reading it again. */
    /** @param ours whether it was last written under the merging source's label (only those it may retire) */
    record Stored(UUID id, String contentHash, String status, int version, boolean ours) {

        boolean retired() {
            return "RETIRED".equals(status);
        }
    }

    /**
     * What a partnership held at one moment, with its programs revision then (V10): read ahead of a merge, in a
     * read-only transaction of its own, while the source is still being parsed; the merge uses it only if the
     * revision is still the same once it holds the partnership's lock (nothing has written its programs since).
     */
    record Held(long revision, Map<String, Stored> stored) {
    }

    private StoredPrograms() {
    }

    /** In one snapshot (the caller's repeatable-read transaction): the revision and what it counts. */
    static Held held(JdbcTemplate jdbc, UUID partnershipId, String source) {
        Long revision = jdbc.queryForObject("SELECT programs_revision FROM partnership WHERE id = ?", Long.class,
                partnershipId);
        return new Held(revision, of(jdbc, partnershipId, source));
    }

    static Map<String, Stored> of(JdbcTemplate jdbc, UUID partnershipId, String source) {
        Map<String, Stored> stored = new HashMap<>();
        jdbc.query("SELECT source_id, id, content_hash, status, version, source = ? FROM program "
                + "WHERE partnership_id = ?", (ResultSet rs) -> {
                    stored.put(rs.getString(1), new Stored(rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getBoolean(6)));
                }, source, partnershipId);
        return stored;
    }
}
