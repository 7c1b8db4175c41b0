package ca.cmp.hub.map.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ca.cmp.hub.census.CensusDataset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where each census dataset has areas: its bounding box (WGS 84 degrees), so the map draws a layer only where it
 * exists. Kept per load of the dataset (a reload changes {@code loadedAt}).
 */
@Component
public class DatasetExtents {

    /** West, south, east, north in degrees of longitude and latitude (WGS 84). */
    public record Extent(double west, double south, double east, double north) {
    }

    private record Kept(Instant loadedAt, Extent extent) {
    }

    private final JdbcClient jdbc;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    DatasetExtents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The extent of each dataset, in one statement for those not known yet; none for a dataset without areas. */
    public Map<CensusDataset, Extent> of(List<CensusDataset> datasets) {
        Map<CensusDataset, Extent> result = new HashMap<>();
        List<String> missing = datasets.stream().filter(d -> {
            Kept k = kept.get(d.id());
            return k == null || !k.loadedAt().equals(d.loadedAt());
        }).map(CensusDataset::id).toList();
        if (!missing.isEmpty()) {
            Map<String, Instant> loadedAt = new HashMap<>();
            datasets.forEach(d -> loadedAt.put(d.id(), d.loadedAt()));
            jdbc.sql("""
                    SELECT dataset_id, ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
                    FROM (SELECT dataset_id, ST_Extent(boundary) AS e FROM census_area
                          WHERE dataset_id IN (:ids) GROUP BY dataset_id) x""")
                    .param("ids", missing)
                    .query((java.sql.ResultSet rs) -> {
                        String id = rs.getString("dataset_id");
                        kept.put(id, new Kept(loadedAt.get(id), new Extent(rs.getDouble("west"), rs.getDouble("south"),
                                rs.getDouble("east"), rs.getDouble("north"))));
                    });
        }
        for (CensusDataset d : datasets) {
            Kept k = kept.get(d.id());
            if (k != null && k.loadedAt().equals(d.loadedAt())) {
                result.put(d, k.extent());
            }
        }
        return result;
    }
}
