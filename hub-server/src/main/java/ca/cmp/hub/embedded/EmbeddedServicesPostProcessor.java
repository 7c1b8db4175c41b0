package ca.cmp.hub.embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Gives the hub a database and a cache when none is configured: the "embedded default" that makes a clone run
 * with one command.
 *
 * <p>Runs after the configuration files are read. When {@code spring.datasource.url} is blank (no
 * {@code HUB_DB_URL}), starts {@link EmbeddedPostgis}; when {@code spring.data.redis.url} is blank (no
 * {@code HUB_REDIS_URL}), starts {@link EmbeddedRedis}. Either is skipped when configured, so external servers
 * start nothing. {@code hub.embedded.enabled=false} turns the whole mechanism off.
 *
 * <p>Servers are started once per JVM and data directory: the many application contexts of a test run share
 * them. {@code hub.embedded.ephemeral=true} (tests) puts them in a fresh temporary directory removed at exit.
 */
public class EmbeddedServicesPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final Map<Path, Started> STARTED = new HashMap<>();

    private final Log log;

    public EmbeddedServicesPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedServicesPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // After ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10) so application.yml is visible.
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("hub.embedded.enabled", Boolean.class, true)) {
            return;
        }
        boolean needDb = !StringUtils.hasText(env.getProperty("spring.datasource.url"));
        boolean needRedis = !StringUtils.hasText(env.getProperty("spring.data.redis.url"))
                && !StringUtils.hasText(env.getProperty("spring.data.redis.host"));
        if (!needDb && !needRedis) {
            return;
        }
        boolean ephemeral = env.getProperty("hub.embedded.ephemeral", Boolean.class, false);
        Path dataDir = ephemeral ? null : configuredDataDir(env);
        Started started = start(dataDir, ephemeral, needDb, needRedis,
                Optional.ofNullable(env.getProperty("hub.embedded.postgres-bin")).map(Path::of));
        Map<String, Object> props = new HashMap<>();
        if (needDb) {
            props.put("spring.datasource.url", started.jdbcUrl);
            props.put("spring.datasource.username", EmbeddedPostgis.USER);
            props.put("spring.datasource.password", started.secrets.postgres());
        }
        if (needRedis) {
            props.put("spring.data.redis.url", started.redisUrl);
        }
        env.getPropertySources().addFirst(new MapPropertySource("hubEmbeddedServices", props));
        log.info("Embedded services in " + started.dir + ":" + (needDb ? " PostgreSQL " + started.jdbcUrl : "")
                + (needRedis ? " Redis " + URI.create(started.redisUrl).getAuthority().replaceFirst(".*@", "") : "")
                + " (their passwords are in " + started.dir.resolve(EmbeddedSecrets.FILE) + ")");
    }

    private static Path configuredDataDir(ConfigurableEnvironment env) {
        String configured = env.getProperty("hub.embedded.data-dir");
        if (StringUtils.hasText(configured)) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // As root the data directory must be reachable by the postgres user, which /root is not.
        return SystemUser.isRoot() ? Path.of("/var/lib/cmp-hub")
                : Path.of(System.getProperty("user.home"), ".local", "share", "cmp-hub");
    }

    private static synchronized Started start(Path configuredDir, boolean ephemeral, boolean needDb,
            boolean needRedis, Optional<Path> pgBin) {
        Path key = configuredDir == null ? Path.of("<ephemeral>") : configuredDir;
        Started existing = STARTED.get(key);
        if (existing != null) {
            return existing;
        }
        Path dir = configuredDir == null ? temporaryDir() : configuredDir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot create " + dir + ": " + e.getMessage());
        }
        EmbeddedSecrets secrets = EmbeddedSecrets.loadOrCreate(dir);
        EmbeddedPostgis postgis = needDb ? EmbeddedPostgis.locate(dir, pgBin, ephemeral) : null;
        EmbeddedRedis redis = needRedis ? new EmbeddedRedis(dir, ephemeral) : null;
        String jdbcUrl = postgis == null ? null : postgis.start(secrets.postgres());
        String redisUrl = redis == null ? null : redis.start(secrets.redis());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (redis != null) {
                redis.stop();
            }
            if (postgis != null) {
                postgis.stop();
            }
            if (ephemeral) {
                deleteQuietly(dir);
            }
        }, "hub-embedded-services-stop"));
        Started started = new Started(dir, jdbcUrl, redisUrl, secrets);
        STARTED.put(key, started);
        return started;
    }

    private static Path temporaryDir() {
        try {
            return Files.createTempDirectory("hub-embedded-");
        } catch (IOException e) {
            throw new EmbeddedServiceException("cannot create a temporary directory: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp directory is harmless.
        }
    }

    private record Started(Path dir, String jdbcUrl, String redisUrl, EmbeddedSecrets secrets) {
    }
}
