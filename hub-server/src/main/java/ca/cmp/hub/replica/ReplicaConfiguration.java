package ca.cmp.hub.replica;

import java.sql.Connection;

import javax.sql.DataSource;

import ca.cmp.hub.redis.RedisHealth;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.util.StringUtils;
import redis.clients.jedis.JedisPooled;

/**
 * With {@code hub.db.replica.url}: the hub's DataSource becomes {@link ReadRouting} over two pools (so Boot's own
 * pool backs off), the primary's exactly as {@code spring.datasource.*} configures it, the replica's like it
 * (same size and per-statement limit) but read-only, with short timeouts, and allowed to be down at start-up.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ReplicaConfigured.class)
class ReplicaConfiguration {

    @Bean
    ReplicaMonitor replicaMonitor(ReplicaProperties properties) {
        return new ReplicaMonitor(properties);
    }

    /** The two pools, as a bean of their own: the DataSource bean may be wrapped (metrics, tests). */
    @Bean(destroyMethod = "close")
    ReplicaPools replicaPools(DataSourceProperties primaryProperties, ReplicaProperties properties,
            Environment environment) {
        HikariDataSource primary = primaryProperties.initializeDataSourceBuilder().type(HikariDataSource.class)
                .build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(primary));
        HikariDataSource replica = new HikariDataSource();
        replica.setPoolName("hub-replica");
        replica.setJdbcUrl(properties.url());
        replica.setUsername(StringUtils.hasText(properties.username()) ? properties.username()
                : primaryProperties.determineUsername());
        replica.setPassword(StringUtils.hasText(properties.password()) ? properties.password()
                : primaryProperties.determinePassword());
        replica.setMaximumPoolSize(primary.getMaximumPoolSize());
        replica.setMinimumIdle(Math.min(2, primary.getMaximumPoolSize()));
        replica.setConnectionInitSql(primary.getConnectionInitSql());
        replica.setReadOnly(true);
        replica.setConnectionTimeout(1000);
        replica.setValidationTimeout(500);
        // Start even while the replica is down: it is skipped until the monitor finds it healthy.
        replica.setInitializationFailTimeout(-1);
        return new ReplicaPools(primary, replica);
    }

    @Bean
    DataSource dataSource(ReplicaPools pools, ReplicaMonitor monitor, MeterRegistry meters) {
        monitor.watch(pools.primary(), pools.replica());
        LazyConnectionDataSourceProxy lazy = new LazyConnectionDataSourceProxy(
                new ReadRouting(pools.primary(), pools.replica(), monitor, meters));
        // PostgreSQL's defaults, stated, so the proxy need not borrow a connection to learn them.
        lazy.setDefaultAutoCommit(true);
        lazy.setDefaultTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return lazy;
    }

    @Bean
    WriteMarks replicaWriteMarks(ReplicaPools pools, JedisPooled jedis, RedisHealth redis,
            ReplicaProperties properties) {
        return new WriteMarks(pools.primary(), jedis, redis, properties.writeTtl());
    }

    @Bean
    ReplicaReads replicaReads(ReplicaMonitor monitor, WriteMarks marks) {
        return new ReplicaReads(monitor, marks);
    }

    @Bean
    ReplicaHealth replicaHealthIndicator(ReplicaMonitor monitor) {
        return new ReplicaHealth(monitor);
    }
}
