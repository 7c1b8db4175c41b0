/**
 * Who can reach a fitting mentoring program: areal-weighting coverage of census youth by program service areas,
 * the gaps left, and capacity-aware access (2SFCA).
 *
 * <p>Units and CRS, for every class here: geometries are planar in metres, in one projected CRS chosen by the
 * caller (the hub uses Statistics Canada Lambert, EPSG:3347); youth counts are per single year of age 6..18
 * ({@link ca.cmp.hub.geo.areal.CensusUnit#youthByAge()} index 0 = age 6). Service areas arrive already built
 * (geodesic circles projected, or polygons). Areal weighting uses ratios of areas inside one census unit; the
 * projection's scale factor cancels in those ratios because it is practically constant across one unit.
 */
package ca.cmp.hub.geo.areal;
