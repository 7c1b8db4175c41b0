/**
 * Where new mentoring programs would reach most unmet demand: weighted demand points from the youth existing
 * reaches leave uncovered ({@link ca.cmp.hub.geo.expansion.DemandCells}), then maximal covering location, plain
 * ({@link ca.cmp.hub.geo.expansion.MaximalCoveringLocation}: lazy greedy and 1-swap search) or with places per
 * site ({@link ca.cmp.hub.geo.expansion.CapacitatedCoveringLocation}).
 *
 * <p>Units and CRS, for every class here: coordinates are planar in metres, in one projected CRS chosen by the
 * caller (the hub uses Statistics Canada Lambert, EPSG:3347), census units and service reaches as in
 * {@link ca.cmp.hub.geo.areal}; a radius is a planar distance in that CRS, so a caller holding a ground distance
 * scales it first (EPSG:3347 is conformal, a few parts per thousand from ground across southern Canada). Demand
 * weights are youth counts (fractional after areal weighting), ages per single year 6..18.
 *
 * <p>Preconditions: weights non-negative; candidate {@code x} and {@code y} arrays of one length; radius and cell
 * size &gt; 0 and places per site &gt; 0 where asked (else {@link IllegalArgumentException} naming the
 * argument); at most as many sites as candidates. Results are deterministic: ties go to the lower candidate index.
 */
package ca.cmp.hub.geo.expansion;
