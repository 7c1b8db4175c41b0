package ca.cmp.hub.duplicate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import ca.cmp.hub.program.ProgramRow;
import org.springframework.stereotype.Component;

/**
 * The groups planners see: likely pairs ({@link LikelyDuplicates}) joined into groups where they connect (A like
 * B, B like C: one group), less the pairs a decision already covers (both programs in one decided group); and the
 * decided groups themselves, with the pairs among their programs that still look alike.
 */
@Component
class DuplicateGroups {

    /** Why two programs of a group look alike. */
    record Reason(List<UUID> programs, boolean sameOrganization, double nameSimilarity, double distanceMetres,
            ProgramRow.AgeRange ageOverlap) {
    }

    /**
     * A group as listed.
     *
     * @param key        its smallest program id: the listing's order and cursor
     * @param id         a decided group's id; null for a candidate
     * @param programIds smallest first
     */
    record Group(String key, UUID id, DuplicateStatus status, List<UUID> programIds, Set<UUID> partnerships,
            List<Reason> reasons, UUID counted, String decidedBy, Instant decidedAt) {
    }

    private final LikelyDuplicates likely;
    private final DuplicateDecisions decisions;

    DuplicateGroups(LikelyDuplicates likely, DuplicateDecisions decisions) {
        this.likely = likely;
        this.decisions = decisions;
    }

    /**
     * The groups of one status, by key, after {@code afterKey} (null: from the first), with a program of one of
     * {@code partnerships} (empty: any). With partnerships, candidates are joined from the pairs with a program of
     * theirs only (a pair of two other partnerships' programs does not link them).
     */
    List<Group> list(DuplicateStatus status, Collection<UUID> partnerships, String afterKey) {
        List<LikelyDuplicates.Pair> pairs = likely.pairs(partnerships);
        List<DuplicateDecisions.Decided> decided = decisions.all();
        List<Group> groups = status == DuplicateStatus.CANDIDATE ? candidates(pairs, decided)
                : decided(pairs, decided, status);
        return groups.stream().filter(g -> afterKey == null || g.key().compareTo(afterKey) > 0)
                .filter(g -> partnerships.isEmpty() || g.partnerships().stream().anyMatch(partnerships::contains))
                .toList();
    }

    /** The decided group with this id, with its reasons. */
    Group decided(UUID id) {
        DuplicateDecisions.Decided group = decisions.all().stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow();
        return decided(likely.pairs(group.partnerships()), List.of(group), null).get(0);
    }

    private static List<Group> candidates(List<LikelyDuplicates.Pair> pairs,
            List<DuplicateDecisions.Decided> decided) {
        Map<UUID, UUID> decidedGroupOf = new HashMap<>();
        decided.forEach(g -> g.programIds().forEach(p -> decidedGroupOf.put(p, g.id())));
        Map<UUID, UUID> parent = new HashMap<>();
        List<LikelyDuplicates.Pair> open = new ArrayList<>();
        for (LikelyDuplicates.Pair p : pairs) {
            UUID a = decidedGroupOf.get(p.first());
            if (a != null && a.equals(decidedGroupOf.get(p.second()))) {
                continue;
            }
            open.add(p);
            union(parent, p.first(), p.second());
        }
        Map<UUID, List<LikelyDuplicates.Pair>> byRoot = new HashMap<>();
        open.forEach(p -> byRoot.computeIfAbsent(find(parent, p.first()), k -> new ArrayList<>()).add(p));
        // By key: the smallest id's text, which orders as PostgreSQL orders uuids (unsigned bytes).
        TreeMap<String, Group> groups = new TreeMap<>();
        byRoot.values().forEach(members -> {
            Group g = group(members, null, DuplicateStatus.CANDIDATE, new HashSet<>(), null);
            groups.put(g.key(), g);
        });
        return List.copyOf(groups.values());
    }

    /** Decided groups of this status (null: any), with the likely pairs among their programs as reasons. */
    private static List<Group> decided(List<LikelyDuplicates.Pair> pairs, List<DuplicateDecisions.Decided> decided,
            DuplicateStatus status) {
        List<Group> groups = new ArrayList<>();
        for (DuplicateDecisions.Decided d : decided) {
            if (status != null && d.status() != status) {
                continue;
            }
            Set<UUID> members = new HashSet<>(d.programIds());
            List<LikelyDuplicates.Pair> within = pairs.stream()
                    .filter(p -> members.contains(p.first()) && members.contains(p.second())).toList();
            Group g = group(within, d.programIds(), d.status(), new HashSet<>(d.partnerships()), d);
            groups.add(g);
        }
        groups.sort(java.util.Comparator.comparing(Group::key));
        return groups;
    }

    /** A group of these pairs and programs (a candidate: {@code decided} null, programs those of the pairs). */
    private static Group group(List<LikelyDuplicates.Pair> pairs, List<UUID> programIds, DuplicateStatus status,
            Set<UUID> partnerships, DuplicateDecisions.Decided decided) {
        TreeMap<String, UUID> members = new TreeMap<>();
        if (programIds != null) {
            programIds.forEach(p -> members.put(p.toString(), p));
        }
        List<Reason> reasons = new ArrayList<>(pairs.size());
        for (LikelyDuplicates.Pair p : pairs) {
            members.put(p.first().toString(), p.first());
            members.put(p.second().toString(), p.second());
            partnerships.add(p.firstPartnership());
            partnerships.add(p.secondPartnership());
            reasons.add(new Reason(List.of(p.first(), p.second()), p.sameOrganization(), p.nameSimilarity(),
                    p.distanceMetres(), new ProgramRow.AgeRange(p.minAge(), p.maxAge())));
        }
        return new Group(members.firstKey(), decided == null ? null : decided.id(), status,
                List.copyOf(members.values()), Set.copyOf(partnerships), List.copyOf(reasons),
                decided == null ? null : decided.counted(), decided == null ? null : decided.decidedBy(),
                decided == null ? null : decided.decidedAt());
    }

    private static void union(Map<UUID, UUID> parent, UUID a, UUID b) {
        UUID ra = find(parent, a);
        UUID rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    private static UUID find(Map<UUID, UUID> parent, UUID x) {
        UUID root = x;
        while (parent.containsKey(root) && !parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        // Path compression: later finds are short.
        UUID at = x;
        while (!at.equals(root)) {
            UUID next = parent.get(at);
            parent.put(at, root);
            at = next;
        }
        return root;
    }
}
