package ca.cmp.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A program's references (partnership, organization, connector, last run) and a site's program are checked per
 * statement by the schema's triggers (V9), not by declared foreign keys, and must keep every rule those keys
 * enforced: a write naming a missing row fails with the key's name and SQLSTATE 23503, whether by INSERT, COPY or
 * UPDATE, and whichever of many rows is the bad one; deleting a named partnership or organization fails, deleting
 * a named connector or run clears the reference, deleting a program deletes its sites; and a delete racing a
 * write waits for it, as the key's lock made it, unless the row named was written by the writer itself.
 */
@HubTest
class ProgramReferencesTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    Fixtures fixtures;

    Partnership partnership;
    UUID organization;
    UUID connector;
    UUID run;

    @BeforeEach
    void references() {
        partnership = fixtures.partnership("References");
        organization = fixtures.organization(partnership, "Provider").getId();
        connector = UUID.randomUUID();
        jdbc.update("INSERT INTO connector (id, partnership_id, name, kind, location) VALUES (?, ?, 'Feed', 'CSV', "
                + "'feed.csv')", connector, partnership.getId());
        run = UUID.randomUUID();
        jdbc.update("INSERT INTO sync_run (id, partnership_id, connector_id, source, mode, status) VALUES (?, ?, ?, "
                + "'connector', 'FULL', 'SUCCEEDED')", run, partnership.getId(), connector);
    }

    /** Inserts programs source-id-1..n in one statement, the n-th (only) naming {@code column} = {@code value}. */
    int insert(int n, String column, UUID value) {
        return jdbc.update("""
                INSERT INTO program (id, partnership_id, organization_id, connector_id, last_run_id, name, source,
                  source_id, service_radius_km)
                SELECT gen_random_uuid(), CASE WHEN i = ? AND ? = 'partnership_id' THEN ? ELSE ? END,
                  CASE WHEN i = ? AND ? = 'organization_id' THEN ? ELSE ? END,
                  CASE WHEN i = ? AND ? = 'connector_id' THEN ? ELSE ? END,
                  CASE WHEN i = ? AND ? = 'last_run_id' THEN ? ELSE ? END,
                  'Program ' || i, 'connector', 'source-id-' || i, 5
                FROM generate_series(1, ?) AS i""", n, column, value, partnership.getId(), n, column, value,
                organization, n, column, value, connector, n, column, value, run, n);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"partnership_id, partnership", "organization_id, organization", "connector_id, connector",
        "last_run_id, sync_run"})
    void aWriteNamingAMissingRowFailsAndWritesNothing(String column, String table) {
        UUID missing = UUID.randomUUID();
        assertThatThrownBy(() -> insert(500, column, missing))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("violates foreign key constraint \"program_" + column + "_fkey\"")
                .hasMessageContaining("Key (" + column + ")=(" + missing + ") is not present in table \"" + table);
        assertThat(count()).isZero();

        assertThat(insert(3, "none", null)).isEqualTo(3);
        assertThatThrownBy(() -> jdbc.update("UPDATE program SET " + column + " = ? WHERE source_id = "
                + "'source-id-2' AND partnership_id = ?", missing, partnership.getId()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("program_" + column + "_fkey");
    }

    @Test
    void copyIsCheckedAsInsertIs() throws SQLException {
        String rows = "%s\t%s\tCopied\tconnector\tcopied-1\t5\n".formatted(UUID.randomUUID(), UUID.randomUUID());
        try (Connection c = dataSource.getConnection()) {
            var copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            assertThatThrownBy(() -> copy.copyIn("COPY program (id, partnership_id, name, source, source_id, "
                    + "service_radius_km) FROM STDIN", new java.io.StringReader(rows)))
                    .isInstanceOf(SQLException.class).hasMessageContaining("program_partnership_id_fkey")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        }
    }

    @Test
    void deletingANamedPartnershipOrOrganizationFails() {
        insert(2, "none", null);
        assertThatThrownBy(() -> jdbc.update("DELETE FROM organization WHERE id = ?", organization))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("program_organization_id_fkey");
        assertThatThrownBy(() -> jdbc.update("UPDATE organization SET id = gen_random_uuid() WHERE id = ?",
                organization)).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("program_organization_id_fkey");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM organization WHERE id = ?", Integer.class, organization))
                .isOne();

        jdbc.update("UPDATE program SET organization_id = NULL WHERE partnership_id = ?", partnership.getId());
        assertThat(jdbc.update("DELETE FROM organization WHERE id = ?", organization)).isOne();
        jdbc.update("DELETE FROM sync_run WHERE id = ?", run);
        jdbc.update("DELETE FROM connector WHERE id = ?", connector);
        // Only the programs name the partnership now.
        assertThatThrownBy(() -> jdbc.update("DELETE FROM partnership WHERE id = ?", partnership.getId()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("program_partnership_id_fkey");
    }

    @Test
    void deletingANamedConnectorOrRunClearsTheReference() {
        insert(2, "none", null);
        jdbc.update("DELETE FROM sync_run WHERE id = ?", run);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ? AND last_run_id IS NULL "
                + "AND connector_id = ?", Integer.class, partnership.getId(), connector)).isEqualTo(2);
        jdbc.update("DELETE FROM connector WHERE id = ?", connector);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ? AND connector_id IS "
                + "NULL", Integer.class, partnership.getId())).isEqualTo(2);
    }

    @Test
    void aDeleteRacingAWriteWaitsForItThenClearsWhatItWrote() throws Exception {
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (PreparedStatement s = writer.prepareStatement("INSERT INTO program (id, partnership_id, "
                    + "connector_id, name, source, source_id, service_radius_km) VALUES (gen_random_uuid(), ?, ?, "
                    + "'Racing', 'connector', 'racing-1', 5)")) {
                s.setObject(1, partnership.getId());
                s.setObject(2, connector);
                s.executeUpdate();
            }
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                    () -> jdbc.update("DELETE FROM connector WHERE id = ?", connector));
            // The delete must be waiting on the writer's lock, not done without seeing the uncommitted program.
            for (int i = 0; i < 100 && !waitingOnALock(); i++) {
                Thread.sleep(50);
            }
            assertThat(waitingOnALock()).as("the delete waits for the writer").isTrue();
            assertThat(delete).isNotDone();
            writer.commit();
            assertThat(delete.get(10, TimeUnit.SECONDS)).isOne();
        }
        assertThat(jdbc.queryForObject("SELECT connector_id IS NULL FROM program WHERE partnership_id = ? AND "
                + "source_id = 'racing-1'", Boolean.class, partnership.getId())).isTrue();
    }

    @Test
    void aSiteNamingAMissingProgramFailsAndDeletingAProgramDeletesItsSites() {
        insert(2, "none", null);
        UUID program = jdbc.queryForObject("SELECT id FROM program WHERE partnership_id = ? AND source_id = "
                + "'source-id-1'", UUID.class, partnership.getId());
        UUID missing = UUID.randomUUID();
        assertThatThrownBy(() -> jdbc.update("INSERT INTO site (id, program_id, location) SELECT gen_random_uuid(), "
                + "CASE WHEN i = 300 THEN ? ELSE ? END, ST_SetSRID(ST_MakePoint(-79.38, 43.65), 4326) "
                + "FROM generate_series(1, 300) AS i", missing, program))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("violates foreign key constraint \"site_program_id_fkey\"")
                .hasMessageContaining("Key (program_id)=(" + missing + ") is not present in table \"program\"");
        assertThat(sites(program)).isZero();

        jdbc.update("INSERT INTO site (id, program_id, location) SELECT gen_random_uuid(), ?, "
                + "ST_SetSRID(ST_MakePoint(-79.38, 43.65), 4326) FROM generate_series(1, 3)", program);
        assertThat(sites(program)).isEqualTo(3);
        assertThatThrownBy(() -> jdbc.update("UPDATE program SET id = gen_random_uuid() WHERE id = ?", program))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("site_program_id_fkey");
        jdbc.update("DELETE FROM program WHERE id = ?", program);
        assertThat(sites(program)).isZero();
    }

    @Test
    void aRowWrittenByTheWriterItselfIsNotLockedAndOneOfAnotherTransactionIs() throws Exception {
        insert(1, "none", null);
        UUID committed = jdbc.queryForObject("SELECT id FROM program WHERE partnership_id = ?", UUID.class,
                partnership.getId());
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            UUID own = UUID.randomUUID();
            try (PreparedStatement s = writer.prepareStatement("INSERT INTO program (id, partnership_id, name, "
                    + "source, source_id, service_radius_km) VALUES (?, ?, 'Own', 'connector', 'own-1', 5)")) {
                s.setObject(1, own);
                s.setObject(2, partnership.getId());
                s.executeUpdate();
            }
            try (PreparedStatement s = writer.prepareStatement("INSERT INTO site (id, program_id, location) "
                    + "VALUES (gen_random_uuid(), ?, ST_SetSRID(ST_MakePoint(-79.38, 43.65), 4326)), "
                    + "(gen_random_uuid(), ?, ST_SetSRID(ST_MakePoint(-79.38, 43.65), 4326))")) {
                s.setObject(1, own);
                s.setObject(2, committed);
                s.executeUpdate();
            }
            try (PreparedStatement s = writer.prepareStatement("SELECT id FROM program WHERE id = ANY (?) AND "
                    + "xmax = pg_current_xact_id()::xid")) {
                s.setArray(1, writer.createArrayOf("uuid", new Object[] {own, committed}));
                var locked = new java.util.ArrayList<UUID>();
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        locked.add(rs.getObject(1, UUID.class));
                    }
                }
                assertThat(locked).containsExactly(committed);
            }
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                    () -> jdbc.update("DELETE FROM program WHERE id = ?", committed));
            for (int i = 0; i < 100 && !waitingOnALock("DELETE FROM program"); i++) {
                Thread.sleep(50);
            }
            assertThat(waitingOnALock("DELETE FROM program")).as("the delete waits for the writer").isTrue();
            writer.commit();
            assertThat(delete.get(10, TimeUnit.SECONDS)).isOne();
        }
        assertThat(sites(committed)).as("the cascade saw the site committed meanwhile").isZero();
    }

    private int sites(UUID program) {
        return jdbc.queryForObject("SELECT count(*) FROM site WHERE program_id = ?", Integer.class, program);
    }

    private boolean waitingOnALock() {
        return waitingOnALock("DELETE FROM connector");
    }

    private boolean waitingOnALock(String statement) {
        return jdbc.queryForObject("SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                + "AND query LIKE ?", Boolean.class, statement + "%");
    }

    private int count() {
        return jdbc.queryForObject("SELECT count(*) FROM program WHERE partnership_id = ?", Integer.class,
                partnership.getId());
    }
}
