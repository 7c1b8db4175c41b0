package ca.cmp.hub.replica;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A PostgreSQL streaming replica for reads ({@code HUB_DB_REPLICA_URL}). Blank url: one datasource, as before.
 *
 * @param username      blank: the primary's
 * @param password      blank: the primary's
 * @param maxLag        a replica further behind than this (replay time, while it has WAL to replay) is skipped
 * @param checkInterval how often its state and replay position are read (never per query)
 * @param writeTtl      how long a caller's last write position is remembered for read-your-writes
 */
@ConfigurationProperties("hub.db.replica")
record ReplicaProperties(String url, String username, String password,
        @DefaultValue("10s") Duration maxLag, @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("10m") Duration writeTtl) {
}
