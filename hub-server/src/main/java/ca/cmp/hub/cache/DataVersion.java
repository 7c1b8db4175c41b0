package ca.cmp.hub.cache;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The version of the hub's data. Writers call {@link #bump()} inside the transaction that changes programs or
 * census areas; readers key cached results by {@link #current()}. Living in PostgreSQL, it is exactly as
 * consistent as the data it versions, for every instance.
 */
@Component
public class DataVersion {

    /** Published with every bump; listeners that act on committed data use a transactional listener. */
    public record Changed() {
    }

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    public DataVersion(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public long current() {
        return jdbc.queryForObject("SELECT version FROM data_version", Long.class);
    }

    /** Must run in the writer's transaction. */
    public void bump() {
        jdbc.update("UPDATE data_version SET version = version + 1, changed_at = now()");
        events.publishEvent(new Changed());
    }
}
