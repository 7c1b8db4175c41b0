package ca.cmp.hub.connectors.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.connectors.postal.FsaCentroids;

/**
 * Turns flat records (one program with one site per record: a CSV row, a GeoJSON point feature) into
 * {@link SourceProgram}s through a {@link FieldMapping}. Columns are resolved once per source. A record without
 * coordinates is placed at its postal code's FSA centroid and marked so; problems name the source's column.
 */
public final class FlatRecordReader {

    /** A record's value of a source column, as text; null when absent or empty. */
    public interface Record {
        String value(String column);
    }

    private final FieldMapping mapping;
    private final Map<String, String> columnOf = new HashMap<>();
    private final FsaCentroids postalCodes;

    /**
     * @param exists whether the source has a column of that name (case-insensitive)
     * @throws IllegalArgumentException when the mapping names a missing column, or no id or name column exists
     */
    public FlatRecordReader(FieldMapping mapping, Predicate<String> exists, FsaCentroids postalCodes) {
        this.mapping = mapping;
        this.postalCodes = postalCodes;
        for (String field : FieldMapping.USUAL_NAMES.keySet()) {
            String column = mapping.column(field, exists);
            if (column != null) {
                columnOf.put(field, column);
            }
        }
        for (String required : List.of("sourceId", "name")) {
            if (!columnOf.containsKey(required) && mapping.defaultValue(required) == null) {
                throw new IllegalArgumentException("mapping.fields." + required + ": the source has none of the "
                        + "usual columns " + FieldMapping.USUAL_NAMES.get(required) + "; name its column in the mapping");
            }
        }
    }

    /** The source column a hub field is read from (for messages), or the field itself when defaulted. */
    public String columnOf(String field) {
        return columnOf.getOrDefault(field, field);
    }

    /** The record's id in its source, or null. */
    public String sourceId(Record record) {
        return text(record, "sourceId");
    }

    /**
     * @param latitude  a latitude from the record's geometry, overriding columns; null to use columns
     * @param longitude likewise
     */
    public SourceProgram read(Record r, Double latitude, Double longitude) throws RecordProblem {
        Double lat = latitude != null ? latitude : Values.decimal(columnOf("latitude"), text(r, "latitude"));
        Double lon = longitude != null ? longitude : Values.decimal(columnOf("longitude"), text(r, "longitude"));
        String postal = text(r, "postalCode");
        LocationPrecision precision = LocationPrecision.EXACT;
        if (lat == null || lon == null) {
            if (lat != null || lon != null) {
                throw new RecordProblem(columnOf(lat == null ? "latitude" : "longitude"),
                        "is empty while " + columnOf(lat == null ? "longitude" : "latitude") + " is given");
            }
            FsaCentroids.Centroid centroid = postalCodes.locate(postal).orElseThrow(() -> new RecordProblem(
                    columnOf("latitude"), "no coordinates, and " + (postal == null ? "no postal code to place it by"
                            : "the postal code \"" + postal + "\" is not a known Canadian forward sortation area")));
            lat = centroid.latitude();
            lon = centroid.longitude();
            precision = LocationPrecision.POSTAL_FSA;
        }
        String organizationName = text(r, "organization");
        SourceProgram.Organization organization = organizationName == null ? null
                : new SourceProgram.Organization(text(r, "organizationId") == null ? organizationName
                        : text(r, "organizationId"), organizationName, text(r, "website"), text(r, "email"),
                        text(r, "phone"));
        SourceProgram.Site site = new SourceProgram.Site(null, text(r, "siteName"), text(r, "address"),
                text(r, "city"), text(r, "province"), postal, lat, lon, precision);
        return new SourceProgram(text(r, "sourceId"), text(r, "name"), text(r, "description"),
                Values.wholeNumber(columnOf("minAge"), text(r, "minAge")),
                Values.wholeNumber(columnOf("maxAge"), text(r, "maxAge")),
                Values.choice(columnOf("model"), text(r, "model"), MentoringModel.class),
                Values.choice(columnOf("setting"), text(r, "setting"), ProgramSetting.class),
                Values.languages(text(r, "languages")),
                Values.choice(columnOf("mode"), text(r, "mode"), DeliveryMode.class),
                Values.decimal(columnOf("radiusKm"), text(r, "radiusKm")), null,
                Values.yesNo(columnOf("servesRegion"), text(r, "servesRegion")),
                Values.wholeNumber(columnOf("activeMatches"), text(r, "activeMatches")),
                Values.wholeNumber(columnOf("maxMatches"), text(r, "maxMatches")),
                Values.wholeNumber(columnOf("waitlist"), text(r, "waitlist")),
                Values.yesNo(columnOf("feeFree"), text(r, "feeFree")), text(r, "feeDescription"),
                Values.choice(columnOf("status"), text(r, "status"), ProgramStatus.class), organization,
                List.of(site));
    }

    /** A field's text: the record's value in the field's column, else the mapping's default. */
    private String text(Record r, String field) {
        String column = columnOf.get(field);
        String value = column == null ? null : r.value(column);
        if (value != null) {
            value = value.strip();
        }
        return value == null || value.isEmpty() ? mapping.defaultValue(field) : value;
    }
}
