package ca.cmp.hub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded cluster keeps its data across hub restarts, and reuses a cluster a killed hub left running. */
class EmbeddedPostgisTest {

    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void dataSurvivesStopAndStart() throws Exception {
        dir = Files.createTempDirectory("hub-persist-");
        EmbeddedPostgis first = EmbeddedPostgis.locate(dir, Optional.empty(), false);
        String url = first.start("first-password");
        try (Connection c = DriverManager.getConnection(url, "hub", "first-password")) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis");
            c.createStatement().execute("CREATE TABLE kept (g geometry(Point, 4326))");
            c.createStatement().execute("INSERT INTO kept VALUES (ST_SetSRID(ST_MakePoint(-79.38, 43.65), 4326))");
        }
        first.stop();

        EmbeddedPostgis second = EmbeddedPostgis.locate(dir, Optional.empty(), false);
        String again = second.start("first-password");
        try (Connection c = DriverManager.getConnection(again, "hub", "first-password");
                ResultSet rs = c.createStatement().executeQuery("SELECT ST_AsText(g) FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("POINT(-79.38 43.65)");
        }
        // A hub killed without stopping its cluster: the next one finds it running and reuses its port.
        EmbeddedPostgis third = EmbeddedPostgis.locate(dir, Optional.empty(), false);
        assertThat(third.start("first-password")).isEqualTo(again);
        second.stop();
    }

    @Test
    void missingBinariesAreReportedWithWhatToDo() throws Exception {
        dir = Files.createTempDirectory("hub-nobin-");
        assertThatThrownBy(() -> EmbeddedPostgis.locate(dir, Optional.of(dir), false))
                .isInstanceOf(EmbeddedServiceException.class)
                .hasMessageContaining("no PostgreSQL server binaries (initdb, pg_ctl) in " + dir);
    }
}
