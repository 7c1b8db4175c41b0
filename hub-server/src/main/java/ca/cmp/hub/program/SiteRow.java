package ca.cmp.hub.program;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.model.LocationPrecision;

/** A program site as read for the API. */
public record SiteRow(UUID id, UUID programId, String name, String address, String city, String province,
        String postalCode, double latitude, double longitude, LocationPrecision precision) {

    /** The site as a GeoJSON Point. */
    public Map<String, Object> location() {
        return Map.of("type", "Point", "coordinates", List.of(longitude, latitude));
    }
}
