package ca.cmp.hub.connectors.postal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.cmp.hub.connectors.csv.CsvTable;

/**
 * Geocoding by postal code, as a fallback: the centroid of the code's forward sortation area (its first three
 * characters). An FSA spans a few km² in a city and thousands in the north, so points placed this way are marked
 * {@link ca.cmp.hub.model.LocationPrecision#POSTAL_FSA} and never taken for exact ones.
 */
public final class FsaCentroids {

    private static final Pattern FSA = Pattern.compile("\\s*([A-Za-z]\\d[A-Za-z])(\\s*\\d[A-Za-z]\\d)?\\s*");

    /** A centroid, WGS 84 degrees. */
    public record Centroid(String fsa, double latitude, double longitude, String province) {
    }

    private final Map<String, Centroid> byFsa;

    private final long fingerprint;

    private FsaCentroids(Map<String, Centroid> byFsa) {
        this.byFsa = byFsa;
        long sum = 0;
        for (Centroid c : byFsa.values()) {
            sum += (long) c.hashCode() * 0x9E3779B97F4A7C15L + c.fsa().hashCode();
        }
        this.fingerprint = sum ^ byFsa.size();
    }

    public static FsaCentroids empty() {
        return new FsaCentroids(Map.of());
    }

    /** From a CSV with columns {@code fsa,latitude,longitude[,province]} (the open-data bundle's fsa_centroids.csv). */
    public static FsaCentroids parse(String csv) {
        CsvTable table = CsvTable.parse(csv, ',');
        Map<String, Centroid> byFsa = new HashMap<>();
        for (CsvTable.Row row : table.rows()) {
            String fsa = table.get(row, "fsa");
            String lat = table.get(row, "latitude");
            String lon = table.get(row, "longitude");
            if (fsa == null || lat == null || lon == null) {
                continue;
            }
            try {
                byFsa.put(fsa.trim().toUpperCase(Locale.ROOT), new Centroid(fsa.trim().toUpperCase(Locale.ROOT),
                        Double.parseDouble(lat), Double.parseDouble(lon), table.get(row, "province")));
            } catch (NumberFormatException skipped) {
                // a broken line in the reference file only leaves its FSA ungeocodable
            }
        }
        return new FsaCentroids(Map.copyOf(byFsa));
    }

    public int size() {
        return byFsa.size();
    }

    /**
     * What the centroids are, as one number: equal for equal tables (whatever the order they were read in), so
     * that a document placed by postal code is known to place the same way again. Computed once: the table
     * never changes.
     */
    public long fingerprint() {
        return fingerprint;
    }

    /** The centroid for a postal code ("M5V 3L9") or FSA ("M5V"); empty when unknown or not a Canadian code. */
    public Optional<Centroid> locate(String postalCode) {
        if (postalCode == null) {
            return Optional.empty();
        }
        Matcher m = FSA.matcher(postalCode);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byFsa.get(m.group(1).toUpperCase(Locale.ROOT)));
    }
}
