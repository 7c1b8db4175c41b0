package ca.cmp.hub.cache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hears every committed change of the data version from PostgreSQL ({@code LISTEN hub_data_version}, announced by
 * V75's trigger) on a connection of its own to the primary (outside the pool: it is held for the instance's life),
 * so {@link DataVersion#recent()} needs no round trip. It starts listening before it reads the version, so nothing
 * committed in between is missed; it reads the version again whenever {@code resync} passes without news, which
 * also proves the connection alive, and vouches for what it heard for twice that. Lost or silent longer, every
 * {@code recent()} asks PostgreSQL until it is back (it reconnects after a pause).
 */
@Component
class DataVersionListener implements SmartLifecycle {

    /**
     * @param listen off: {@link DataVersion#recent()} always asks PostgreSQL (a pooler in transaction mode, say,
     *               passes no notifications)
     * @param resync how long the connection may stay silent before the version is read again
     */
    @ConfigurationProperties("hub.data-version")
    record Settings(@DefaultValue("true") boolean listen, @DefaultValue("10s") Duration resync) {
    }

    static final String CHANNEL = "hub_data_version";
    /** Its {@code application_name}, as pg_stat_activity shows it. */
    static final String APPLICATION_NAME = "hub-data-version";

    private static final Logger log = LoggerFactory.getLogger(DataVersionListener.class);

    private final DataVersion version;
    private final DataSourceProperties database;
    private final Settings settings;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    DataVersionListener(DataVersion version, DataSourceProperties database, Settings settings) {
        this.version = version;
        this.database = database;
        this.settings = settings;
    }

    @Override
    public void start() {
        String url;
        try {
            url = database.determineUrl();
        } catch (RuntimeException e) {
            url = null; // no URL Boot can name: the DataSource is made some other way, so recent() always asks
        }
        if (!settings.listen() || url == null || !url.startsWith("jdbc:postgresql:")) {
            log.info("Not listening for data version changes: every tile asks PostgreSQL for it");
            return;
        }
        running = true;
        Thread t = new Thread(this::listen, "data-version-listener");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        version.unvouch();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            closeQuietly(connection);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        long resyncMs = settings.resync().toMillis();
        boolean warned = false;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                version.vouch(read(c), 2_000_000L * resyncMs);
                if (warned) {
                    log.info("Listening for data version changes again");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] news = pg.getNotifications((int) resyncMs);
                    if (news == null || news.length == 0) {
                        version.vouch(read(c), 2_000_000L * resyncMs);
                        continue;
                    }
                    long newest = -1;
                    for (PGNotification n : news) {
                        newest = Math.max(newest, Long.parseLong(n.getParameter()));
                    }
                    version.vouch(newest, 2_000_000L * resyncMs);
                }
            } catch (SQLException | RuntimeException e) {
                version.unvouch();
                if (!running) {
                    return;
                }
                if (!warned) {
                    log.warn("Not listening for data version changes ({}); every tile asks PostgreSQL until "
                            + "reconnected", e.getMessage());
                    warned = true;
                }
            } finally {
                connection = null;
            }
            try {
                Thread.sleep(Math.min(resyncMs, 2_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (database.determineUsername() != null) {
            p.setProperty("user", database.determineUsername());
        }
        if (database.determinePassword() != null) {
            p.setProperty("password", database.determinePassword());
        }
        p.setProperty("ApplicationName", APPLICATION_NAME);
        // A dead peer surfaces as an error, not a read that waits forever.
        p.setProperty("socketTimeout", String.valueOf(Math.max(5, settings.resync().toSeconds() * 3)));
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(database.determineUrl(), p);
        c.setAutoCommit(true);
        return c;
    }

    private static long read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM data_version")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing to wake the listener; it ends anyway
            }
        }
    }
}
