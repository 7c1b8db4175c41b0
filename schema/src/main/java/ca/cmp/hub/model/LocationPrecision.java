package ca.cmp.hub.model;

/**
 * How trustworthy a site's point is: given by the source ({@code EXACT}), or geocoded from the postal code's
 * forward sortation area centroid ({@code POSTAL_FSA}, typically within a few km in cities, far more in rural
 * FSAs).
 */
public enum LocationPrecision {
    EXACT, POSTAL_FSA
}
