package ca.cmp.hub.duplicate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.program.ProgramRow;
import ca.cmp.hub.program.PublishedPrograms;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Duplicates across sources: planners and admins list candidate groups and confirm or dismiss them. */
@Controller
class DuplicateController {

    static final int MAX_PAGE = 50;
    /** Most programs one decision names: a group is one program's copies, a handful. */
    static final int MAX_MEMBERS = 50;
    private static final String CURSOR = "duplicates:";

    private final DuplicateGroups groups;
    private final DuplicateDecisions decisions;
    private final PublishedPrograms programs;
    private final Gate gate;

    DuplicateController(DuplicateGroups groups, DuplicateDecisions decisions, PublishedPrograms programs, Gate gate) {
        this.groups = groups;
        this.decisions = decisions;
        this.programs = programs;
        this.gate = gate;
    }

    record DuplicateGroupPage(List<DuplicateGroups.Group> groups, String endCursor, boolean hasNextPage) {
    }

    record DuplicatesDecided(DuplicateGroups.Group group) {
    }

    record InvalidDuplicates(String field, String message) {
    }

    @QueryMapping
    DuplicateGroupPage duplicateCandidates(@Argument DuplicateStatus status, @Argument List<String> partnership,
            @Argument Integer first, @Argument String after) {
        gate.require(Permission.PLAN, "duplicateCandidates", null);
        int limit = first == null ? 20 : first;
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_PAGE + ", got " + limit);
        }
        List<UUID> partnerships = new ArrayList<>();
        if (partnership != null) {
            for (int i = 0; i < partnership.size(); i++) {
                partnerships.add(Ids.parse("partnership[" + i + "]", partnership.get(i)));
            }
        }
        List<DuplicateGroups.Group> found = groups.list(status == null ? DuplicateStatus.CANDIDATE : status,
                partnerships, after == null ? null : key(after));
        List<DuplicateGroups.Group> page = found.subList(0, Math.min(limit, found.size()));
        String end = page.isEmpty() ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR + page.get(page.size() - 1).key()).getBytes(StandardCharsets.UTF_8));
        return new DuplicateGroupPage(page, end, found.size() > limit);
    }

    @MutationMapping
    Object confirmDuplicates(@Argument List<String> programIds) {
        return decide("confirmDuplicates", DuplicateStatus.CONFIRMED, programIds);
    }

    @MutationMapping
    Object dismissDuplicates(@Argument List<String> programIds) {
        return decide("dismissDuplicates", DuplicateStatus.DISMISSED, programIds);
    }

    /** The groups' published programs, by name: one read for the whole page. */
    @BatchMapping(typeName = "DuplicateGroup", field = "programs")
    Map<DuplicateGroups.Group, List<ProgramRow>> programs(List<DuplicateGroups.Group> page) {
        Set<UUID> ids = page.stream().flatMap(g -> g.programIds().stream()).collect(Collectors.toSet());
        List<ProgramRow> rows = programs.among(ids).programs();
        Map<DuplicateGroups.Group, List<ProgramRow>> result = new HashMap<>();
        for (DuplicateGroups.Group g : page) {
            Set<UUID> members = Set.copyOf(g.programIds());
            result.put(g, rows.stream().filter(r -> members.contains(r.id())).toList());
        }
        return result;
    }

    private Object decide(String action, DuplicateStatus status, List<String> programIds) {
        NotAllowed refused = gate.check(Permission.PLAN, action, null).orElse(null);
        if (refused != null) {
            return refused;
        }
        if (programIds.size() > MAX_MEMBERS) {
            return new InvalidDuplicates("programIds", "names at most " + MAX_MEMBERS + " programs, got "
                    + programIds.size());
        }
        Map<UUID, Integer> positions = new java.util.LinkedHashMap<>();
        for (int i = 0; i < programIds.size(); i++) {
            UUID id = Ids.orNull(programIds.get(i));
            if (id == null) {
                return new InvalidDuplicates("programIds[" + i + "]", "\"" + abbreviate(programIds.get(i))
                        + "\" is not a program id (a UUID)");
            }
            positions.putIfAbsent(id, i);
        }
        if (positions.size() < 2) {
            return new InvalidDuplicates("programIds", "must name at least two different programs");
        }
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(positions.keySet()));
        Set<UUID> unknown = decisions.unknown(ids);
        for (UUID id : ids) {
            if (unknown.contains(id)) {
                return new InvalidDuplicates("programIds[" + positions.get(id) + "]", "no program has the id " + id);
            }
        }
        UUID group = decisions.decide(status, ids, CurrentCaller.get(), action);
        return new DuplicatesDecided(groups.decided(group));
    }

    private static String key(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR) && Ids.orNull(text.substring(CURSOR.length())) != null) {
                return text.substring(CURSOR.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidArgumentException("after", "\"" + abbreviate(cursor) + "\" is not a cursor of "
                + "duplicateCandidates");
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
