package ca.cmp.hub.model;

/**
 * How a program declares whom it can reach: a radius around each site, an explicit polygon, or a whole region
 * (typically the publishing partnership's region, for virtual programs).
 */
public enum ServiceAreaKind {
    RADIUS, POLYGON, REGION
}
