package ca.cmp.hub.geo.areal;

import org.locationtech.jts.geom.Geometry;

/**
 * Where a program can serve youth, and which ages: its service area (polygonal, metres, same CRS as the census
 * units) and the inclusive age range it serves. Capacity feeds the access index only.
 *
 * @param places   mentoring places the program offers (its maximum matches); 0 when unknown
 * @param waitlist youth waiting for a match (unmet demand the program already faces); 0 when unknown
 */
public record ServiceReach(String id, Geometry area, int minAge, int maxAge, double places, double waitlist) {

    public ServiceReach {
        if (minAge > maxAge) {
            throw new IllegalArgumentException("program " + id + ": minAge " + minAge + " > maxAge " + maxAge);
        }
        if (area.isEmpty() || area.getDimension() != 2) {
            throw new IllegalArgumentException("program " + id + ": service area must be a non-empty polygon");
        }
        if (places < 0 || waitlist < 0) {
            throw new IllegalArgumentException("program " + id + ": places and waitlist must be >= 0");
        }
    }

    public boolean serves(int age) {
        return age >= minAge && age <= maxAge;
    }
}
