package ca.cmp.hub.partnership;

import java.util.List;
import java.util.Map;

/**
 * A region as given through GraphQL: exactly one of a GeoJSON (Multi)Polygon or census areas of a loaded dataset
 * (whose union is stored).
 */
record RegionInput(Map<String, Object> geometry, CensusAreas census) {

    record CensusAreas(String dataset, List<String> codes) {
    }
}
