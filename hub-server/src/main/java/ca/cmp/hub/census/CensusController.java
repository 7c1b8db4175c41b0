package ca.cmp.hub.census;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class CensusController {

    static final int MAX_AREAS = 20_000;

    private final SmallAreaProtection privacy;
    private final CensusDatasets datasets;

    private final Gate gate;

    CensusController(SmallAreaProtection privacy, CensusDatasets datasets, Gate gate) {
        this.privacy = privacy;
        this.datasets = datasets;
        this.gate = gate;
    }

    @QueryMapping
    List<CensusDataset> censusDatasets() {
        return datasets.all();
    }

    record BoundingBox(double west, double south, double east, double north) {
    }

    @QueryMapping
    List<CensusArea> censusAreas(@Argument String dataset, @Argument BoundingBox bbox, @Argument Double simplifyMeters) {
        double tolerance = simplifyMeters == null ? 0 : simplifyMeters;
        if (tolerance < 0 || tolerance > 50_000) {
            throw new InvalidArgumentException("simplifyMeters", "must be from 0 to 50000, got " + tolerance);
        }
        if (bbox != null && (bbox.west() >= bbox.east() || bbox.south() >= bbox.north())) {
            throw new InvalidArgumentException("bbox", "needs west < east and south < north");
        }
        CensusDataset loaded = datasets.find(dataset).orElseThrow(() -> new InvalidArgumentException("dataset",
                "no census dataset \"" + dataset + "\" is loaded"));
        boolean detailed = detailed();
        return datasets.areas(loaded, bbox, tolerance, MAX_AREAS).stream().map(a -> published(dataset, a, detailed))
                .toList();
    }

    /**
     * Areas that other subgraphs refer to (by dataset and code), in the order asked, null for those that do not
     * exist or whose key is not two strings: one statement, the same protection as {@link #censusAreas}.
     */
    @EntityMapping
    List<CensusArea> censusArea(List<Map<String, Object>> representations) {
        List<CensusDatasets.AreaKey> keys = representations.stream().map(r -> r.get("dataset") instanceof String d
                && r.get("code") instanceof String c ? new CensusDatasets.AreaKey(d, c) : null).toList();
        Map<CensusDatasets.AreaKey, CensusDatasets.StoredArea> found = datasets.areas(keys.stream()
                .filter(Objects::nonNull).distinct().toList());
        boolean detailed = detailed();
        List<CensusArea> areas = new ArrayList<>(keys.size());
        for (CensusDatasets.AreaKey key : keys) {
            CensusDatasets.StoredArea area = key == null ? null : found.get(key);
            areas.add(area == null ? null : published(key.dataset(), area, detailed));
        }
        return areas;
    }

    private CensusArea published(String dataset, CensusDatasets.StoredArea a, boolean detailed) {
        return new CensusArea(dataset, a.code(), a.name(), a.province(), population(a.totalPopulation(), detailed),
                a.youthUnknown() ? new CensusArea.YouthCount(null, null, a.youthMethod(), false)
                        : youth(a.youth(), a.youthByAge(), a.youthMethod(), detailed),
                a.areaKm2(), a.geoJson(), a.repaired());
    }

    /** Every public count about people is protected: the total population too, not only youth. */
    private Integer population(Integer total, boolean detailed) {
        if (total == null || detailed) {
            return total;
        }
        Double published = privacy.publish(total);
        return published == null ? null : published.intValue();
    }

    private CensusArea.YouthCount youth(double total, Double[] byAge, String method, boolean detailed) {
        if (detailed) {
            List<Double> ages = new ArrayList<>(13);
            for (Double age : byAge) {
                ages.add(age);
            }
            return new CensusArea.YouthCount(total, ages, method, false);
        }
        if (privacy.suppresses(total)) {
            return new CensusArea.YouthCount(null, null, method, true);
        }
        // Single years are counts of people like the total: each is protected (null as a whole when any is).
        return new CensusArea.YouthCount(privacy.publish(total), privacy.publishAll(byAge), method, false);
    }

    /** Funders and planners see census figures unrounded, as they see coverage (CoverageController). */
    private boolean detailed() {
        return gate.allows(Permission.READ_DETAILED_FIGURES);
    }
}
