package ca.cmp.hub.cache;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The version of the hub's data. Writers call {@link #bump()} inside the transaction that changes programs or
 * census areas; readers key cached results by {@link #current()}. Living in PostgreSQL, it is exactly as
 * consistent as the data it versions, for every instance.
 */
@Component
public class DataVersion {

    private final JdbcTemplate jdbc;

    DataVersion(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long current() {
        return jdbc.queryForObject("SELECT version FROM data_version", Long.class);
    }

    /** Must run in the writer's transaction. */
    public void bump() {
        jdbc.update("UPDATE data_version SET version = version + 1, changed_at = now()");
    }
}
