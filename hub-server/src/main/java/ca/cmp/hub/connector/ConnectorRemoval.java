package ca.cmp.hub.connector;

import java.util.Optional;

import ca.cmp.hub.security.AccessAudit;
import ca.cmp.hub.security.CurrentCaller;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Disabling and deleting connectors, each with its audit event in one transaction. A delete takes the
 * connector's run lock first, so a connector is never deleted under its own run (which would record a run of a
 * connector that no longer exists half-way through).
 */
@Component
class ConnectorRemoval {

    private final Connectors connectors;
    private final ConnectorLock lock;
    private final ConnectorProperties properties;
    private final AccessAudit audit;
    private final TransactionTemplate tx;

    ConnectorRemoval(Connectors connectors, ConnectorLock lock, ConnectorProperties properties, AccessAudit audit,
            PlatformTransactionManager transactions) {
        this.connectors = connectors;
        this.lock = lock;
        this.properties = properties;
        this.audit = audit;
        this.tx = new TransactionTemplate(transactions);
    }

    ConnectorDefinition disable(ConnectorDefinition connector, String partnership, CurrentCaller caller) {
        return tx.execute(s -> {
            connectors.disable(connector.id());
            audit.succeeded(caller, "disableConnector", "connector:" + connector.id(), partnership,
                    "\"" + connector.name() + "\"");
            return connectors.find(connector.id()).orElseThrow();
        });
    }

    /** Empty when deleted; else why not (it is running). */
    Optional<String> delete(ConnectorDefinition connector, String partnership, CurrentCaller caller) {
        ConnectorLock.Attempt attempt = lock.acquire(connector.id(), properties.lockTtl());
        if (attempt.state() == ConnectorLock.State.HELD_ELSEWHERE) {
            return Optional.of("connector \"" + connector.name() + "\" is running; delete it when the run ends");
        }
        try {
            tx.executeWithoutResult(s -> {
                connectors.delete(connector.id());
                audit.succeeded(caller, "deleteConnector", "connector:" + connector.id(), partnership,
                        "\"" + connector.name() + "\" (" + connector.kind() + ", " + connector.location() + ")");
            });
            return Optional.empty();
        } finally {
            lock.release(attempt);
        }
    }
}
