package ca.cmp.hub.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * On a machine with a Docker engine, the suite runs against PostGIS and Redis containers; without one (as on the
 * project's CI), the hub's embedded mode starts them from the system's packages instead. Either way the database
 * is a real PostGIS and the cache a real Redis. Explicit {@code HUB_DB_URL} / {@code HUB_REDIS_URL} win over both,
 * and {@code HUB_TEST_CONTAINERS=false} forces the embedded servers.
 */
public class ContainersWhereDockerExists implements LauncherSessionListener {

    private PostgreSQLContainer postgis;
    private GenericContainer<?> redis;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("false".equals(System.getenv("HUB_TEST_CONTAINERS")) || System.getenv("HUB_DB_URL") != null
                || !dockerAvailable()) {
            return;
        }
        postgis = new PostgreSQLContainer(DockerImageName.parse("postgis/postgis:16-3.4")
                .asCompatibleSubstituteFor("postgres")).withDatabaseName("hub").withUsername("hub")
                .withPassword(java.util.UUID.randomUUID().toString());
        String redisPassword = java.util.UUID.randomUUID().toString();
        redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379)
                .withCommand("redis-server", "--requirepass", redisPassword);
        postgis.start();
        redis.start();
        System.setProperty("spring.datasource.url", postgis.getJdbcUrl());
        System.setProperty("spring.datasource.username", postgis.getUsername());
        System.setProperty("spring.datasource.password", postgis.getPassword());
        System.setProperty("spring.data.redis.url", "redis://:" + redisPassword + "@" + redis.getHost() + ":"
                + redis.getMappedPort(6379));
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (redis != null) {
            redis.stop();
        }
        if (postgis != null) {
            postgis.stop();
        }
    }

    private static boolean dockerAvailable() {
        // Asking Testcontainers on a machine with no engine logs an alarming ERROR; look for one first.
        boolean engineHint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
        if (!engineHint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
