package ca.cmp.hub.model;

import java.util.List;
import java.util.Map;

/**
 * A program as a partnership's source states it, before the hub validates it: what a push binds from GraphQL's
 * {@code ProgramInput} and what every connector produces. Values are raw (unchecked); the hub's validator turns
 * each into a stored program or a rejection naming the field.
 *
 * @param serviceArea a GeoJSON Polygon/MultiPolygon object (WGS 84 lon/lat), or null
 */
public record SourceProgram(String sourceId, String name, String description, Integer minAge, Integer maxAge,
        MentoringModel model, ProgramSetting setting, List<String> languages, DeliveryMode mode, Double radiusKm,
        Map<String, Object> serviceArea, Boolean servesRegion, Integer activeMatches, Integer maxMatches,
        Integer waitlist, Boolean feeFree, String feeDescription, ProgramStatus status, Organization organization,
        List<Site> sites) {

    public record Organization(String sourceId, String name, String website, String email, String phone) {
    }

    /**
     * @param precision how the point was obtained; null means as given by the source ({@code EXACT})
     */
    public record Site(String sourceId, String name, String address, String city, String province,
            String postalCode, Double latitude, Double longitude, LocationPrecision precision) {
    }
}
