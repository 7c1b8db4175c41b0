package ca.cmp.hub.replica;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code replica} in the health details (administrators): UP, LAGGING or UNREACHABLE. The last two are codes of
 * their own, outside the aggregate's order, so a skipped replica never takes the hub's status (or readiness)
 * down: its reads are answered by the primary meanwhile.
 */
class ReplicaHealth implements HealthIndicator {

    static final Status LAGGING = new Status("LAGGING", "reads go to the primary until the replica catches up");
    static final Status UNREACHABLE = new Status("UNREACHABLE", "reads go to the primary until the replica is back");

    private final ReplicaMonitor monitor;

    ReplicaHealth(ReplicaMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        ReplicaMonitor.Reading r = monitor.last();
        Health.Builder health = switch (r.state()) {
            case UP -> Health.up();
            case LAGGING -> Health.status(LAGGING);
            case DOWN -> Health.status(UNREACHABLE);
        };
        health.withDetail("state", r.state().name());
        if (r.lagSeconds() != null) {
            health.withDetail("replayLagSeconds", Math.round(r.lagSeconds() * 10) / 10.0);
        }
        if (r.replayLsn() >= 0 && r.primaryLsn() >= 0) {
            health.withDetail("replayBytesBehind", Math.max(0, r.primaryLsn() - r.replayLsn()));
        }
        if (r.reason() != null) {
            health.withDetail("reason", r.reason());
        }
        return health.build();
    }
}
