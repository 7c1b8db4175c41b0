package ca.cmp.hub.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param heartbeat    how often an instance says its runs are still going
 * @param abandonAfter a RUNNING run whose heartbeat is older than this is ABANDONED (its instance died); several
 *                     heartbeats long, so a slow statement or a pause does not abandon a live run
 * @param drainTimeout on shutdown, how long runs in progress may go on finishing before they are INTERRUPTED
 */
@ConfigurationProperties("hub.sync")
record SyncProperties(Duration heartbeat, Duration abandonAfter, Duration drainTimeout) {

    SyncProperties {
        heartbeat = heartbeat == null ? Duration.ofSeconds(10) : heartbeat;
        abandonAfter = abandonAfter == null ? Duration.ofMinutes(2) : abandonAfter;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(20) : drainTimeout;
        if (abandonAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("hub.sync.abandon-after (" + abandonAfter
                    + ") must be at least two heartbeats (" + heartbeat + ")");
        }
    }
}
