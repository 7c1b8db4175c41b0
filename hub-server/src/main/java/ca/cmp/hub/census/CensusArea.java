package ca.cmp.hub.census;

/** A census area as read for the API; {@code boundary} is GeoJSON text from PostGIS. */
record CensusArea(String dataset, String code, String name, String province, Integer totalPopulation, YouthCount youth,
        double areaKm2, String boundary, boolean repaired) {

    record YouthCount(Double total, java.util.List<Double> byAge, String method, boolean suppressed) {
    }
}
