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

    /** The publishable figure, or null when suppressed. */
    public Double publish(double count) {
        if (suppresses(count)) {
            return null;
        }
        return Math.round(count / roundTo) * roundTo;
    }
}
