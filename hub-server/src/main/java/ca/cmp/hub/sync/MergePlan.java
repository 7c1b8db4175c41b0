package ca.cmp.hub.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import ca.cmp.hub.sync.internal.TimeOrderedIds;

/**
 * What one merge will write, decided in memory from the batch and what the partnership holds: programs to
 * insert (ids assigned here, so they can go straight into the table), programs to rewrite (their content hash
 * differs, or they were retired and are back: same id, next version), programs left alone (same hash, not
 * retired: not rewritten, no version bump) and, for a full snapshot, the programs of this source that the batch
 * no longer lists (to be retired, never deleted). The same rules the set-based upsert applied, row for row.
 */
record MergePlan(List<Write> inserts, List<Write> updates, List<Write> written, UUID[] unchangedIds,
        UUID[] retiredIds) {

    /**
     * A program to write, with its id, the version it gets, and the change recorded in its history. A new
     * program's content hash is not needed to decide anything: it is computed as its row is written (null here),
     * on the client while the server is still busy with the rows before it.
     */
    record Write(StagedProgram program, UUID id, int version, String change, String decidedHash,
            UUID organizationId) {

        String contentHash() {
            return decidedHash != null ? decidedHash : program.contentHash();
        }
    }

    /**
     * @param organizations the id of each organization named by the batch, by source id
     * @param present       source ids the source listed but that were rejected: not retired for being absent
     */
    static MergePlan of(List<StagedProgram> batch, Map<String, StoredPrograms.Stored> stored,
            Map<String, UUID> organizations, boolean fullSnapshot, List<String> present) {
        return of(batch, stored, organizations, fullSnapshot, present, List.of());
    }

    /** @param retiredUpstream source ids the source says it retired: this source's programs of them retire too */
    static MergePlan of(List<StagedProgram> batch, Map<String, StoredPrograms.Stored> stored,
            Map<String, UUID> organizations, boolean fullSnapshot, List<String> present,
            List<String> retiredUpstream) {
        List<Write> inserts = new ArrayList<>();
        List<Write> updates = new ArrayList<>();
        List<Write> written = new ArrayList<>();
        List<UUID> unchanged = new ArrayList<>();
        Set<String> listed = new HashSet<>(batch.size() * 2);
        // Hashing is most of the work here and each record's is independent: both cores compute those that decide
        // something (records the partnership already holds).
        String[] hashes = new String[batch.size()];
        if (!stored.isEmpty()) {
            IntStream.range(0, batch.size()).parallel().filter(i -> stored.containsKey(batch.get(i).sourceId()))
                    .forEach(i -> hashes[i] = batch.get(i).contentHash());
        }
        for (int i = 0; i < batch.size(); i++) {
            StagedProgram p = batch.get(i);
            listed.add(p.sourceId());
            String hash = hashes[i];
            UUID organizationId = p.organization() == null ? null : organizations.get(p.organization().sourceId());
            StoredPrograms.Stored s = stored.get(p.sourceId());
            Write w;
            if (s == null) {
                w = new Write(p, TimeOrderedIds.next(), 0, "INSERTED", hash, organizationId);
                inserts.add(w);
            } else if (Objects.equals(s.contentHash(), hash) && !s.retired()) {
                unchanged.add(s.id());
                continue;
            } else {
                w = new Write(p, s.id(), s.version() + 1, s.retired() ? "REACTIVATED" : "UPDATED", hash,
                        organizationId);
                updates.add(w);
            }
            written.add(w);
        }
        List<UUID> retired = new ArrayList<>();
        if (fullSnapshot) {
            Set<String> spared = new HashSet<>(present);
            stored.forEach((sourceId, s) -> {
                if (s.ours() && !s.retired() && !listed.contains(sourceId)
                        && !spared.contains(sourceId)) {
                    retired.add(s.id());
                }
            });
        }
        for (String sourceId : new HashSet<>(retiredUpstream)) {
            StoredPrograms.Stored s = stored.get(sourceId);
            if (s != null && s.ours() && !s.retired() && !listed.contains(sourceId) && !retired.contains(s.id())) {
                retired.add(s.id());
            }
        }
        return new MergePlan(inserts, updates, written, unchanged.toArray(UUID[]::new), retired.toArray(UUID[]::new));
    }

    UUID[] updatedIds() {
        return updates.stream().map(Write::id).toArray(UUID[]::new);
    }
}
