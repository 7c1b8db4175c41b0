/**
 * RFC 7946 GeoJSON geometry objects, as parsed JSON, to and from JTS
 * ({@link ca.cmp.hub.geo.geojson.GeoJsonGeometry}).
 *
 * <p>CRS and units, for every class here: WGS 84 longitude/latitude in decimal degrees, the only CRS RFC 7946
 * allows; geometries read get SRID 4326 with x = longitude, y = latitude, and geometries written are taken to be
 * in it (no reprojection happens here: the hub projects to EPSG:3347 in PostGIS). Altitudes are accepted and
 * dropped; nothing is measured, so there are no length or area units.
 *
 * <p>Preconditions and errors: input is what a JSON parser gives ({@code Map}, {@code List}, {@code Number},
 * {@code String}); a structural fault (type, position arity, longitude outside −180..180, latitude outside
 * −90..90, an unclosed or too-short ring) is a {@link ca.cmp.hub.geo.geojson.GeoJsonException} whose path names
 * the member from the value's root, so callers can prefix their argument or field name. Topological validity
 * (self-intersection, ring orientation) is not checked: some callers repair, others reject.
 */
package ca.cmp.hub.geo.geojson;
