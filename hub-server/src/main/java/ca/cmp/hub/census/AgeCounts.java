package ca.cmp.hub.census;

/**
 * A census area's population counts as published: the total, the five-year bands that hold ages 6 to 18 (5–9,
 * 10–14, 15–19), and where the source has it, the exact count of ages 6 to 18 or single years of age.
 *
 * <p>{@link #youthByAge()} turns them into youth by single year of age 6..18 by one documented rule:
 * <ul>
 * <li>{@link #SINGLE_YEARS}: the source's own single-year counts, used as they are;</li>
 * <li>{@link #EXACT_TOTAL_BAND_SHARES}: the source's exact 6–18 total, spread over the ages in proportion to
 * the band each age falls in (uniform within a band);</li>
 * <li>{@link #BANDS_UNIFORM}: no exact figure; each age gets a fifth of its band, so
 * 6–18 = ⅘·(5–9) + (10–14) + ⅘·(15–19).</li>
 * </ul>
 *
 * @param total   total population, or null
 * @param band5   ages 5–9, or null
 * @param band10  ages 10–14, or null
 * @param band15  ages 15–19, or null
 * @param exact   exact count of ages 6–18, or null
 * @param singles single-year counts for ages 6..18 (13 values), or null
 */
public record AgeCounts(Integer total, Double band5, Double band10, Double band15, Double exact, double[] singles) {

    public static final String SINGLE_YEARS = "single years of age 6-18 as published";
    public static final String EXACT_TOTAL_BAND_SHARES =
            "published exact 6-18 total, spread over single ages by five-year band (uniform within band)";
    public static final String BANDS_UNIFORM =
            "estimated from five-year bands, uniform within band: 4/5*(5-9) + (10-14) + 4/5*(15-19)";

    public static final int FIRST_AGE = 6;
    public static final int LAST_AGE = 18;

    /** Youth by single year of age, index 0 = age 6 … index 12 = age 18. */
    public double[] youthByAge() {
        if (singles != null) {
            return singles.clone();
        }
        double[] ages = new double[LAST_AGE - FIRST_AGE + 1];
        for (int age = FIRST_AGE; age <= LAST_AGE; age++) {
            double band = age < 10 ? band5 : age < 15 ? band10 : band15;
            ages[age - FIRST_AGE] = band / 5;
        }
        if (exact != null) {
            double sum = 0;
            for (double a : ages) {
                sum += a;
            }
            for (int i = 0; i < ages.length; i++) {
                ages[i] = sum == 0 ? exact / ages.length : ages[i] * exact / sum;
            }
        }
        return ages;
    }

    public String method() {
        return singles != null ? SINGLE_YEARS : exact != null ? EXACT_TOTAL_BAND_SHARES : BANDS_UNIFORM;
    }

    /** What is missing for {@link #youthByAge()}, or null when the counts suffice. */
    String missing() {
        if (singles != null) {
            return singles.length == 13 ? null : "13 single-year counts for ages 6 to 18";
        }
        if (band5 == null || band10 == null || band15 == null) {
            return "the 5 to 9, 10 to 14 and 15 to 19 year counts";
        }
        return null;
    }
}
