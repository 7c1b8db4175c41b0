package ca.cmp.hub.connector;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every instance looks for due connectors now and then; the connector's lock and its stored next run time make
 * sure each due slot is run by one instance only.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ConnectorScheduler {

    private final Connectors connectors;
    private final ConnectorRunner runner;
    private final AtomicLong polls = new AtomicLong();

    ConnectorScheduler(Connectors connectors, ConnectorRunner runner) {
        this.connectors = connectors;
        this.runner = runner;
    }

    @Scheduled(fixedDelayString = "${hub.connectors.poll-interval}", initialDelayString = "${hub.connectors.poll-interval}")
    void runDue() {
        for (UUID id : connectors.due()) {
            runner.runIfDue(id);
        }
        polls.incrementAndGet();
    }

    /** Completed looks for due connectors: lets a test wait for a whole look to begin after some event. */
    long polls() {
        return polls.get();
    }
}
