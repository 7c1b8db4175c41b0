package ca.cmp.hub.census;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Disclosure control for public figures about people: a count below {@code threshold} is suppressed, any other
 * is rounded to the nearest {@code roundTo}. Statistics Canada publishes census counts rounded to 5 and withholds
 * very small areas; the hub's derived figures (covered, uncovered youth in a small area) must not undo that.
 *
 * @param threshold counts strictly below this are suppressed (0 disables suppression)
 * @param roundTo   rounding base (1 disables rounding)
 */
@ConfigurationProperties("hub.privacy")
public record SmallAreaProtection(double threshold, double roundTo) {

    public SmallAreaProtection {
        if (threshold < 0 || roundTo < 1) {
            throw new IllegalArgumentException("hub.privacy: threshold must be >= 0 and round-to >= 1");
        }
    }

    public boolean suppresses(double count) {
        return count < threshold;
    }

    /**
     * Counts published together (an area's single years of age): each rounded, or none at all when any one is
     * suppressed — a list with holes would give the hidden count away as the total minus the others.
     */
    public java.util.List<Double> publishAll(Double[] counts) {
        java.util.List<Double> published = new java.util.ArrayList<>(counts.length);
        for (Double count : counts) {
            Double figure = count == null ? null : publish(count);
            if (figure == null) {
                return null;
            }
            published.add(figure);
        }
        return published;
    }

    /**
     * The share {@code part / whole} as the public may see it: computed from the published (rounded) figures, so
     * that share times the published whole gives nothing finer than the published part; null when the part, the
     * whole or what remains of it ({@code whole - part}) is suppressed.
     */
    public Double publishShare(double part, double whole) {
        Double publishedPart = publish(part);
        Double publishedWhole = publish(whole);
        if (publishedPart == null || publishedWhole == null || suppresses(Math.max(0, whole - part))) {
            return null;
        }
        return publishedWhole == 0 ? 0 : Math.min(1, publishedPart / publishedWhole);
    }

    /** The publishable figure, or null when suppressed. */
    public Double publish(double count) {
        if (suppresses(count)) {
            return null;
        }
        return Math.round(count / roundTo) * roundTo;
    }
}
