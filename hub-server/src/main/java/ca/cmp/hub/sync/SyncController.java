package ca.cmp.hub.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import org.dataloader.DataLoader;
import reactor.core.publisher.Mono;

@Controller
class SyncController {

    private final ProgramPublisher publisher;
    private final SyncRuns runs;
    private final PartnershipRepository partnerships;
    private final Gate gate;

    SyncController(ProgramPublisher publisher, SyncRuns runs, PartnershipRepository partnerships, Gate gate,
            BatchLoaderRegistry loaders) {
        this.publisher = publisher;
        this.runs = runs;
        this.partnerships = partnerships;
        this.gate = gate;
        loaders.<RunRejections, List<Rejection>>forName("runRejections")
                .registerMappedBatchLoader((keys, env) -> loadRejections(keys));
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

    /** A run's rejections as a field asks for them. */
    record RunRejections(UUID run, int first) {
    }

    static final int MAX_REJECTIONS = 1000;

    @SchemaMapping(typeName = "SyncRun")
    CompletableFuture<List<Rejection>> rejections(SyncRun run, @Argument Integer first,
            DataLoader<RunRejections, List<Rejection>> runRejections) {
        int limit = first == null ? 100 : first;
        if (limit < 1 || limit > MAX_REJECTIONS) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_REJECTIONS + ", got " + limit);
        }
        return runRejections.load(new RunRejections(run.id(), limit));
    }

    /** One read per page size for all runs of a request. */
    private Mono<Map<RunRejections, List<Rejection>>> loadRejections(Set<RunRejections> keys) {
        return Mono.fromCallable(() -> {
            Map<RunRejections, List<Rejection>> result = new HashMap<>();
            keys.stream().collect(Collectors.groupingBy(RunRejections::first)).forEach((first, group) -> {
                Map<UUID, List<Rejection>> byRun = runs.rejections(group.stream().map(RunRejections::run)
                        .distinct().toList(), first);
                group.forEach(k -> result.put(k, byRun.getOrDefault(k.run(), List.of())));
            });
            return result;
        });
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

    /** Freshness for the partnership's card: not a sync report (READ_SYNC_REPORTS), only when data last came in. */
    @BatchMapping(typeName = "Partnership")
    Map<Partnership, java.time.Instant> lastSyncAt(List<Partnership> parents) {
        Map<UUID, java.time.Instant> last = runs.lastSucceeded(parents.stream().map(Partnership::getId).toList());
        return parents.stream().filter(p -> last.containsKey(p.getId())).collect(Collectors.toMap(
                Function.identity(), p -> last.get(p.getId()), (a, b) -> a));
    }
}
