package ca.cmp.hub.census;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The loaded census datasets and the provenance each figure computed from them must carry. */
@Component
public class CensusDatasets {

    private final JdbcClient jdbc;

    CensusDatasets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<CensusDataset> all() {
        return jdbc.sql("SELECT * FROM census_dataset ORDER BY id").query(CensusDatasets::map).list();
    }

    public Optional<CensusDataset> find(String id) {
        return jdbc.sql("SELECT * FROM census_dataset WHERE id = :id").param("id", id).query(CensusDatasets::map)
                .optional();
    }

    private static CensusDataset map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new CensusDataset(rs.getString("id"), CensusImport.Level.valueOf(rs.getString("level")),
                rs.getString("title"), rs.getString("vintage"), rs.getString("source"), rs.getString("licence"),
                rs.getTimestamp("loaded_at").toInstant(), rs.getInt("area_count"), rs.getInt("repaired_count"));
    }
}
