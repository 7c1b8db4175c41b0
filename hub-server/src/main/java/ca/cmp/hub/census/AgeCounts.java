package ca.cmp.hub.census;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * 6–18 = ⅘·(5–9) + (10–14) + ⅘·(15–19);</li>
 * <li>{@link #YOUTH_UNKNOWN}: the source suppressed a band the rule needs (Statistics Canada's {@code x},
 * {@code ..}, {@code F} for small areas): the youth is unknown, not zero and not guessed.</li>
 * </ul>
 *
 * @param total      total population, or null
 * @param band5      ages 5–9, or null
 * @param band10     ages 10–14, or null
 * @param band15     ages 15–19, or null
 * @param exact      exact count of ages 6–18, or null
 * @param singles    single-year counts for ages 6..18 (13 values), or null
 * @param suppressed which of {@link #TOTAL}, {@link #AGE_5_9}, {@link #AGE_10_14}, {@link #AGE_15_19},
 *                   {@link #AGE_6_18} the source marked as suppressed (those are null, and not missing)
 */
public record AgeCounts(Integer total, Double band5, Double band10, Double band15, Double exact, double[] singles,
        Set<String> suppressed) {

    public static final String SINGLE_YEARS = "single years of age 6-18 as published";
    public static final String EXACT_TOTAL_BAND_SHARES =
            "published exact 6-18 total, spread over single ages by five-year band (uniform within band)";
    public static final String BANDS_UNIFORM =
            "estimated from five-year bands, uniform within band: 4/5*(5-9) + (10-14) + 4/5*(15-19)";
    public static final String YOUTH_UNKNOWN =
            "unknown: the source suppressed an age count (x, .., F); such areas are excluded from totals and ratios";

    public static final int FIRST_AGE = 6;
    public static final int LAST_AGE = 18;

    /** The counts' names, as the {@code counts} mappings of an import use them. */
    public static final String TOTAL = "total";
    public static final String AGE_5_9 = "age5to9";
    public static final String AGE_10_14 = "age10to14";
    public static final String AGE_15_19 = "age15to19";
    public static final String AGE_6_18 = "age6to18";

    private static final Set<String> SYMBOLS = Set.of("x", "X", "..", "...", "F");

    public AgeCounts {
        suppressed = suppressed == null ? Set.of() : Set.copyOf(suppressed);
    }

    /** Counts of which the source suppressed none. */
    public AgeCounts(Integer total, Double band5, Double band10, Double band15, Double exact, double[] singles) {
        this(total, band5, band10, band15, exact, singles, Set.of());
    }

    /**
     * Whether a published value is one of Statistics Canada's symbols for a count it does not give: {@code x}
     * (suppressed to protect confidentiality), {@code ..} (not available), {@code ...} (not applicable),
     * {@code F} (too unreliable to be published).
     */
    static boolean isSuppressionSymbol(String text) {
        return text != null && SYMBOLS.contains(text.strip());
    }

    /** Whether the youth cannot be known: a band the rule needs is suppressed, and nothing else is missing. */
    public boolean youthUnknown() {
        return singles == null && missing().isEmpty() && (band5 == null || band10 == null || band15 == null);
    }

    /** Youth by single year of age, index 0 = age 6 … index 12 = age 18; zeros when {@link #youthUnknown()}. */
    public double[] youthByAge() {
        if (singles != null) {
            return singles.clone();
        }
        double[] ages = new double[LAST_AGE - FIRST_AGE + 1];
        if (youthUnknown()) {
            return ages;
        }
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
        return singles != null ? SINGLE_YEARS : youthUnknown() ? YOUTH_UNKNOWN
                : exact != null ? EXACT_TOTAL_BAND_SHARES : BANDS_UNIFORM;
    }

    /**
     * The counts {@link #youthByAge()} needs that are neither there nor marked suppressed, by name
     * ({@link #AGE_5_9}, …); empty when the counts suffice or the youth is known to be unknown.
     */
    List<String> missing() {
        if (singles != null) {
            return singles.length == 13 ? List.of() : List.of("13 single-year counts for ages 6 to 18");
        }
        List<String> absent = new ArrayList<>();
        if (band5 == null && !suppressed.contains(AGE_5_9)) {
            absent.add(AGE_5_9);
        }
        if (band10 == null && !suppressed.contains(AGE_10_14)) {
            absent.add(AGE_10_14);
        }
        if (band15 == null && !suppressed.contains(AGE_15_19)) {
            absent.add(AGE_15_19);
        }
        return absent;
    }
}
