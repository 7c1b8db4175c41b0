package ca.cmp.hub.demo;

import java.util.List;

import ca.cmp.hub.security.ApiClients;
import ca.cmp.hub.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * The demo's API clients ({@code hub.demo.clients}), created as rows like any client once the demo partnership
 * exists; never overwritten, so a rotated or revoked demo client stays so. Also on a database loaded before
 * clients were rows.
 */
@Component
class DemoClients {

    private static final Logger log = LoggerFactory.getLogger(DemoClients.class);

    private final DemoProperties properties;
    private final ApiClients clients;

    DemoClients(DemoProperties properties, ApiClients clients) {
        this.properties = properties;
        this.clients = clients;
    }

    // Once ready: after the demo's partnership was loaded (by an application runner).
    @EventListener(ApplicationReadyEvent.class)
    void create() {
        if (!properties.enabled()) {
            return;
        }
        for (SecurityProperties.Client client : properties.clients() == null ? List.<SecurityProperties.Client>of()
                : properties.clients()) {
            try {
                if (clients.ensure(client)) {
                    log.info("Created the demo's API client {} ({})", client.id(), client.role());
                }
            } catch (DataIntegrityViolationException e) {
                log.warn("The demo's API client {} was not created: its partnership {} does not exist", client.id(),
                        client.partnership());
            }
        }
    }
}
