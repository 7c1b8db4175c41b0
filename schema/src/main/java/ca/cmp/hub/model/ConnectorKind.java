package ca.cmp.hub.model;

/** The kinds of source a partnership can register. */
public enum ConnectorKind {
    /** An Open Referral HSDS 3.0 API, pulled page by page ({@code /services}), incremental with modified_after. */
    HSDS_API,
    /** An HSDS tabular data package: a folder or zip of CSVs with datapackage.json (HSDS 3.0 or 1.1 names). */
    HSDS_PACKAGE,
    /** A GeoJSON FeatureCollection of points, with a property mapping. */
    GEOJSON,
    /** A CSV file with a column mapping; coordinates, or geocoding by postal code. */
    CSV,
    /**
     * A GraphQL API paged with a Relay cursor: first another Mentoring Network Hub's {@code programs}, incremental
     * with its {@code changedSince} filter, authenticated by client credentials.
     */
    GRAPHQL
}
