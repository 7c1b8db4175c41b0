package ca.cmp.hub.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.partnership.UnknownPartnership;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class SyncController {

    private final ProgramPublisher publisher;
    private final SyncRuns runs;
    private final PartnershipRepository partnerships;
    private final Gate gate;

    SyncController(ProgramPublisher publisher, SyncRuns runs, PartnershipRepository partnerships, Gate gate) {
        this.publisher = publisher;
        this.runs = runs;
        this.partnerships = partnerships;
        this.gate = gate;
    }

    @MutationMapping
    Object publishPrograms(@Argument String partnership, @Argument List<SourceProgram> programs,
            @Argument Boolean snapshot) {
        return find(partnership).<Object>map(p -> result(publisher.publish(p, programs, Boolean.TRUE.equals(snapshot))))
                .orElseGet(() -> unknown(partnership));
    }

    @MutationMapping
    Object retirePrograms(@Argument String partnership, @Argument List<String> sourceIds) {
        return find(partnership).<Object>map(p -> result(publisher.retire(p, sourceIds)))
                .orElseGet(() -> unknown(partnership));
    }

    @QueryMapping
    List<SyncRun> syncRuns(@Argument String partnership, @Argument Integer first) {
        int limit = first == null ? 20 : first;
        if (limit < 1 || limit > 100) {
            throw new InvalidArgumentException("first", "must be from 1 to 100, got " + limit);
        }
        return find(partnership).map(p -> {
            requireReportReader(p, "syncRuns");
            return runs.recent(p.getId(), limit);
        }).orElse(List.of());
    }

    @QueryMapping
    SyncRun syncRun(@Argument String id) {
        return runs.find(Ids.parse("id", id)).map(run -> {
            partnerships.findById(run.partnershipId()).ifPresent(p -> requireReportReader(p, "syncRun"));
            return run;
        }).orElse(null);
    }

    /** Sync reports show a partnership's data problems: its own partners, planners and admins may read them. */
    private void requireReportReader(Partnership partnership, String action) {
        gate.require(Permission.READ_SYNC_REPORTS, action, partnership.getSlug());
    }

    @BatchMapping(typeName = "SyncRun")
    Map<SyncRun, Partnership> partnership(List<SyncRun> parents) {
        Map<UUID, Partnership> byId = partnerships.findAllById(parents.stream().map(SyncRun::partnershipId)
                .distinct().toList()).stream().collect(Collectors.toMap(Partnership::getId, Function.identity()));
        return parents.stream().collect(Collectors.toMap(Function.identity(), r -> byId.get(r.partnershipId()),
                (a, b) -> a));
    }

    @BatchMapping(typeName = "SyncRun")
    Map<SyncRun, List<Rejection>> rejections(List<SyncRun> parents) {
        // The batch loader takes no arguments; each run returns at most 1,000 (the run's count says how many).
        Map<UUID, List<Rejection>> byRun = runs.rejections(parents.stream().map(SyncRun::id).toList(), 1000);
        return parents.stream().collect(Collectors.toMap(Function.identity(),
                r -> byRun.getOrDefault(r.id(), List.of()), (a, b) -> a));
    }

    private Object result(ProgramPublisher.Outcome outcome) {
        if (outcome instanceof ProgramPublisher.Published published) {
            return new SyncReport(published.run());
        }
        return ((ProgramPublisher.Refused) outcome).refusal();
    }

    private static UnknownPartnership unknown(String partnership) {
        return UnknownPartnership.of(partnership);
    }

    private Optional<Partnership> find(String idOrSlug) {
        return partnerships.findByIdOrSlug(idOrSlug);
    }
}
