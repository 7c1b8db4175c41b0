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
import org.springframework.graphql.data.method.annotation.SchemaMapping;
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
    private final ConnectorRemoval admin;
    private final SealedSecrets secrets;

    ConnectorController(Connectors connectors, ConnectorSources sources, ConnectorRunner runner,
            PartnershipRepository partnerships, SyncRuns runs, Gate gate, ConnectorRemoval admin,
            SealedSecrets secrets) {
        this.admin = admin;
        this.secrets = secrets;
        this.connectors = connectors;
        this.sources = sources;
        this.runner = runner;
        this.partnerships = partnerships;
        this.runs = runs;
        this.gate = gate;
    }

    record ConnectorInput(String name, ConnectorKind kind, String location, Map<String, Object> mapping,
            String schedule, Boolean enabled, CredentialsInput credentials) {
    }

    /** A GRAPHQL connector's upstream client, as given; its secret never shows in logs or messages. */
    record CredentialsInput(String clientId, String clientSecret, String tokenUrl) {

        @Override
        public String toString() {
            return "CredentialsInput[clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null ? "none" : "[redacted]") + ", tokenUrl=" + tokenUrl + "]";
        }
    }

    record ConnectorSaved(ConnectorDefinition connector) {
    }

    record InvalidConnector(String field, String message) {
    }

    record UnknownConnector(String id, String message) {
    }

    record ConnectorBusy(String message) {
    }

    record ConnectorDeleted(String id) {
    }

    record ConnectorDisabled(String message) {
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
        if (!connector.enabled()) {
            return new ConnectorDisabled("connector \"" + connector.name() + "\" is disabled; enable it with "
                    + "updateConnector to run it");
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

    /** Stops the connector's schedule and refuses runs until it is enabled again (updateConnector). */
    @MutationMapping
    Object disableConnector(@Argument String id) {
        Optional<ConnectorDefinition> found = connectors.find(Ids.parse("id", id));
        if (found.isEmpty()) {
            return unknown(id);
        }
        Partnership partnership = partnerships.findById(found.get().partnershipId()).orElseThrow();
        NotAllowed refused = checkManage(partnership, "disableConnector");
        if (refused != null) {
            return refused;
        }
        return new ConnectorSaved(admin.disable(found.get(), partnership.getSlug(), CurrentCaller.get()));
    }

    /** Removes the registration; its runs stay (and keep its id), its programs stay with their provenance. */
    @MutationMapping
    Object deleteConnector(@Argument String id) {
        Optional<ConnectorDefinition> found = connectors.find(Ids.parse("id", id));
        if (found.isEmpty()) {
            return unknown(id);
        }
        Partnership partnership = partnerships.findById(found.get().partnershipId()).orElseThrow();
        NotAllowed refused = checkManage(partnership, "deleteConnector");
        if (refused != null) {
            return refused;
        }
        Optional<String> busy = admin.delete(found.get(), partnership.getSlug(), CurrentCaller.get());
        return busy.<Object>map(ConnectorBusy::new).orElseGet(() -> new ConnectorDeleted(id));
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

    /** The schema's UpstreamClient: what identifies the client upstream, and only whether a secret is kept. */
    record UpstreamClient(String clientId, String tokenUrl, boolean secretStored) {
    }

    @SchemaMapping(typeName = "Connector", field = "credentials")
    UpstreamClient credentials(ConnectorDefinition connector) {
        ConnectorDefinition.Credentials c = connector.credentials();
        return c == null ? null : new UpstreamClient(c.clientId(), c.tokenUrl(), c.secretStored());
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
        UUID id = existing == null ? UUID.randomUUID() : existing.id();
        Object credentials = credentials(id, in, existing);
        if (credentials instanceof InvalidConnector refused) {
            return refused;
        }
        String schedule = in.schedule() == null || in.schedule().isBlank() ? null : in.schedule().strip();
        boolean enabled = in.enabled() == null || in.enabled();
        ConnectorDefinition saved = new ConnectorDefinition(id,
                partnership.getId(), name, in.kind(), in.location().strip(),
                in.mapping() == null ? Map.of() : in.mapping(), schedule, enabled,
                existing == null ? null : existing.lastFullSyncAt(), existing == null ? null : existing.lastSuccessAt(),
                existing == null ? null : existing.changesReadUntil(),
                schedule == null || !enabled ? null : ConnectorRunner.nextRun(schedule),
                existing == null ? null : existing.createdAt(), (ConnectorDefinition.Credentials) credentials);
        if (existing == null) {
            connectors.insert(saved);
        } else {
            connectors.update(saved);
        }
        return new ConnectorSaved(connectors.find(saved.id()).orElseThrow());
    }

    /**
     * The credentials to store: those given (the secret sealed), or the stored ones where the input leaves them (or
     * their secret) out; null for kinds that do not authenticate. An {@link InvalidConnector} when they cannot be.
     */
    private Object credentials(UUID id, ConnectorInput in, ConnectorDefinition existing) {
        CredentialsInput given = in.credentials();
        ConnectorDefinition.Credentials stored = existing == null ? null : existing.credentials();
        if (in.kind() != ConnectorKind.GRAPHQL) {
            return given == null ? null : new InvalidConnector("connector.credentials",
                    "only GRAPHQL connectors authenticate upstream");
        }
        if (given == null) {
            return stored;
        }
        if (given.clientId() == null || given.clientId().isBlank() || given.clientId().strip().length() > 200) {
            return new InvalidConnector("connector.credentials.clientId", "is required, at most 200 characters");
        }
        String tokenUrl = given.tokenUrl() == null || given.tokenUrl().isBlank()
                ? ConnectorSources.defaultTokenUrl(in.location().strip()) : given.tokenUrl().strip();
        Optional<String> badUrl = sources.checkUrl(tokenUrl);
        if (badUrl.isPresent()) {
            return new InvalidConnector("connector.credentials.tokenUrl", badUrl.get());
        }
        byte[] sealed;
        if (given.clientSecret() == null) {
            sealed = stored == null ? null : stored.sealedSecret();
        } else if (given.clientSecret().isBlank() || given.clientSecret().length() > 1000) {
            return new InvalidConnector("connector.credentials.clientSecret", "must not be blank; at most 1,000 "
                    + "characters");
        } else if (!secrets.available()) {
            return new InvalidConnector("connector.credentials.clientSecret", new SealedSecrets.NoKey().getMessage());
        } else {
            sealed = secrets.seal(id, given.clientSecret());
        }
        return new ConnectorDefinition.Credentials(given.clientId().strip(), tokenUrl, sealed);
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
