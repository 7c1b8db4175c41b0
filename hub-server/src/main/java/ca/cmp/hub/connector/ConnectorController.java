package ca.cmp.hub.connector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.model.ConnectorKind;
import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.partnership.UnknownPartnership;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.NotAllowed;
import ca.cmp.hub.security.Permission;
import ca.cmp.hub.security.CurrentCaller;
import ca.cmp.hub.sync.SyncReport;
import ca.cmp.hub.sync.SyncRun;
import ca.cmp.hub.sync.SyncRuns;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * Registering and running connectors. Who may: the partnership's own partners, planners and admins; every
 * refusal is audited. Connector settings may hold a partner's API address and mapping, so reading them is
 * restricted the same way.
 */
@Controller
class ConnectorController {

    private final Connectors connectors;
    private final ConnectorSources sources;
    private final ConnectorRunner runner;
    private final PartnershipRepository partnerships;
    private final SyncRuns runs;
    private final Gate gate;

    ConnectorController(Connectors connectors, ConnectorSources sources, ConnectorRunner runner,
            PartnershipRepository partnerships, SyncRuns runs, Gate gate) {
        this.connectors = connectors;
        this.sources = sources;
        this.runner = runner;
        this.partnerships = partnerships;
        this.runs = runs;
        this.gate = gate;
    }

    record ConnectorInput(String name, ConnectorKind kind, String location, Map<String, Object> mapping,
            String schedule, Boolean enabled) {
    }

    record ConnectorSaved(ConnectorDefinition connector) {
    }

    record InvalidConnector(String field, String message) {
    }

    record UnknownConnector(String id, String message) {
    }

    record ConnectorBusy(String message) {
    }

    @MutationMapping
    Object registerConnector(@Argument String partnership, @Argument ConnectorInput connector) {
        Optional<Partnership> found = partnerships.findByIdOrSlug(partnership);
        if (found.isEmpty()) {
            return UnknownPartnership.of(partnership);
        }
        NotAllowed refused = checkManage(found.get(), "registerConnector");
        if (refused != null) {
            return refused;
        }
        return save(found.get(), null, connector);
    }

    @MutationMapping
    Object updateConnector(@Argument String id, @Argument ConnectorInput connector) {
        Optional<ConnectorDefinition> existing = connectors.find(Ids.parse("id", id));
        if (existing.isEmpty()) {
            return unknown(id);
        }
        Partnership partnership = partnerships.findById(existing.get().partnershipId()).orElseThrow();
        NotAllowed refused = checkManage(partnership, "updateConnector");
        if (refused != null) {
            return refused;
        }
        return save(partnership, existing.get(), connector);
    }

    @MutationMapping
    Object runConnector(@Argument String id, @Argument Boolean full, @Argument Boolean wait,
            @Argument Integer waitSeconds) {
        int seconds = waitSeconds == null ? 120 : waitSeconds;
        if (seconds < 1 || seconds > 600) {
            throw new InvalidArgumentException("waitSeconds", "must be from 1 to 600, got " + seconds);
        }
        Optional<ConnectorDefinition> found = connectors.find(Ids.parse("id", id));
        if (found.isEmpty()) {
            return unknown(id);
        }
        ConnectorDefinition connector = found.get();
        NotAllowed refused = checkManage(partnerships.findById(connector.partnershipId()).orElseThrow(),
                "runConnector");
        if (refused != null) {
            return refused;
        }
        ConnectorRunner.Outcome outcome = runner.runNow(connector, Boolean.TRUE.equals(full),
                CurrentCaller.get().subject());
        if (outcome instanceof ConnectorRunner.Busy busy) {
            return new ConnectorBusy(busy.message());
        }
        ConnectorRunner.Started started = (ConnectorRunner.Started) outcome;
        SyncRun run = Boolean.TRUE.equals(wait) ? runner.await(started, Duration.ofSeconds(seconds))
                : runs.find(started.runId()).orElseThrow();
        return new SyncReport(run);
    }

    @QueryMapping(name = "connectors")
    List<ConnectorDefinition> connectorsOf(@Argument String partnership) {
        return partnerships.findByIdOrSlug(partnership).map(p -> {
            requireReader(p, "connectors");
            return connectors.ofPartnership(p.getId());
        }).orElse(List.of());
    }

    @QueryMapping
    ConnectorDefinition connector(@Argument String id) {
        return connectors.find(Ids.parse("id", id)).map(c -> {
            requireReader(partnerships.findById(c.partnershipId()).orElseThrow(), "connector");
            return c;
        }).orElse(null);
    }

    @BatchMapping(typeName = "Connector")
    Map<ConnectorDefinition, Partnership> partnership(List<ConnectorDefinition> parents) {
        Map<UUID, Partnership> byId = partnerships.findAllById(parents.stream().map(ConnectorDefinition::partnershipId)
                .distinct().toList()).stream().collect(Collectors.toMap(Partnership::getId, Function.identity()));
        return parents.stream().collect(Collectors.toMap(Function.identity(), c -> byId.get(c.partnershipId()),
                (a, b) -> a));
    }

    @BatchMapping(typeName = "Connector")
    Map<ConnectorDefinition, List<SyncRun>> runs(List<ConnectorDefinition> parents) {
        Map<UUID, List<SyncRun>> byConnector = runs.recentOfConnectors(
                parents.stream().map(ConnectorDefinition::id).toList(), 10);
        return parents.stream().collect(Collectors.toMap(Function.identity(),
                c -> byConnector.getOrDefault(c.id(), List.of()), (a, b) -> a));
    }

    private Object save(Partnership partnership, ConnectorDefinition existing, ConnectorInput in) {
        Optional<ConnectorSources.Invalid> invalid = sources.check(in.name(), in.kind(), in.location(), in.mapping(),
                in.schedule());
        if (invalid.isPresent()) {
            return new InvalidConnector(invalid.get().field(), invalid.get().message());
        }
        String name = in.name().strip();
        if (connectors.nameTaken(partnership.getId(), name, existing == null ? null : existing.id())) {
            return new InvalidConnector("connector.name", "the partnership has a connector named \"" + name
                    + "\" already");
        }
        String schedule = in.schedule() == null || in.schedule().isBlank() ? null : in.schedule().strip();
        boolean enabled = in.enabled() == null || in.enabled();
        ConnectorDefinition saved = new ConnectorDefinition(existing == null ? UUID.randomUUID() : existing.id(),
                partnership.getId(), name, in.kind(), in.location().strip(),
                in.mapping() == null ? Map.of() : in.mapping(), schedule, enabled,
                existing == null ? null : existing.lastFullSyncAt(), existing == null ? null : existing.lastSuccessAt(),
                schedule == null || !enabled ? null : ConnectorRunner.nextRun(schedule),
                existing == null ? null : existing.createdAt());
        if (existing == null) {
            connectors.insert(saved);
        } else {
            connectors.update(saved);
        }
        return new ConnectorSaved(connectors.find(saved.id()).orElseThrow());
    }

    private NotAllowed checkManage(Partnership partnership, String action) {
        return gate.check(Permission.MANAGE_CONNECTORS, action, partnership.getSlug()).orElse(null);
    }

    private void requireReader(Partnership partnership, String action) {
        gate.require(Permission.MANAGE_CONNECTORS, action, partnership.getSlug());
    }

    private static UnknownConnector unknown(String id) {
        return new UnknownConnector(id, "no connector has the id " + id);
    }
}
