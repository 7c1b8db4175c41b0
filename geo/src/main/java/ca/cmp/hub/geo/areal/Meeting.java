package ca.cmp.hub.geo.areal;

import java.util.List;

/**
 * The reaches one census unit meets, as far as they matter to its figures.
 *
 * @param coveredAges bit {@code a - 6} set when some reach serving age {@code a} is known to contain the whole unit
 *                    (those reaches are counted in {@code containing}, not listed)
 * @param containing  reaches known to contain the unit that are not in {@code crossing}
 * @param crossing    every other reach that meets the unit; for any age not in {@code coveredAges}, these are all
 *                    the reaches of that age that meet the unit
 * @param contains    per entry of {@code crossing}: TRUE when it is known to contain the unit, else null (unknown)
 */
record Meeting(int coveredAges, int containing, List<IndexedReach> crossing, Boolean[] contains) {

    int reaching() {
        return containing + crossing.size();
    }
}
