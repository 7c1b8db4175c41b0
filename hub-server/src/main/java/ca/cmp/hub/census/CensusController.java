package ca.cmp.hub.census;

import java.util.ArrayList;
import java.util.List;

import ca.cmp.hub.graphql.InvalidArgumentException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class CensusController {

    static final int MAX_AREAS = 20_000;

    private final SmallAreaProtection privacy;
    private final CensusDatasets datasets;

    CensusController(SmallAreaProtection privacy, CensusDatasets datasets) {
        this.privacy = privacy;
        this.datasets = datasets;
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
        if (datasets.find(dataset).isEmpty()) {
            throw new InvalidArgumentException("dataset", "no census dataset \"" + dataset + "\" is loaded");
        }
        return datasets.areas(dataset, bbox, tolerance, MAX_AREAS).stream().map(a -> new CensusArea(a.code(),
                a.name(), a.province(), a.totalPopulation(), a.youthUnknown()
                        ? new CensusArea.YouthCount(null, null, a.youthMethod(), false)
                        : youth(a.youth(), a.youthByAge(), a.youthMethod()),
                a.areaKm2(), a.geoJson(), a.repaired())).toList();
    }

    private CensusArea.YouthCount youth(double total, Double[] byAge, String method) {
        if (privacy.suppresses(total)) {
            return new CensusArea.YouthCount(null, null, method, true);
        }
        List<Double> ages = new ArrayList<>(13);
        for (Double age : byAge) {
            // Single ages are small numbers; they are rounded, not suppressed, once the total is publishable.
            ages.add((double) Math.round(age));
        }
        return new CensusArea.YouthCount(privacy.publish(total), ages, method, false);
    }
}
