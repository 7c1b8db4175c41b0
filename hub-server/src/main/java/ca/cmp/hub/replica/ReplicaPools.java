package ca.cmp.hub.replica;

import com.zaxxer.hikari.HikariDataSource;

/** The primary's and the replica's connection pools behind {@link ReadRouting}. */
record ReplicaPools(HikariDataSource primary, HikariDataSource replica) implements AutoCloseable {

    @Override
    public void close() {
        replica.close();
        primary.close();
    }
}
