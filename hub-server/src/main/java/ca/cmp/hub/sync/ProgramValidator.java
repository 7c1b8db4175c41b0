package ca.cmp.hub.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.LocationPrecision;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.model.ServiceAreaKind;
import ca.cmp.hub.model.SourceProgram;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.geojson.GeoJsonException;
import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKTWriter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Checks every pushed program before anything is written, and turns the valid ones into {@link StagedProgram}s.
 * A record with any problem is rejected as a whole with the first problem's field path; the others go on. Rules
 * mirror the database constraints, so the merge never fails on a record's content.
 */
final class ProgramValidator {

    static final int MAX_BATCH = 10_000;
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final Pattern POSTAL = Pattern.compile("([A-Za-z]\\d[A-Za-z])\\s*(\\d[A-Za-z]\\d)");
    private static final Pattern PROVINCE = Pattern.compile("AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT");

    private ProgramValidator() {
    }

    record Result(List<StagedProgram> accepted, List<Rejection> rejected) {
    }

    /** Raised inside the checks of one record; becomes a {@link Rejection}. */
    private static final class Invalid extends RuntimeException {
        final String field;

        Invalid(String field, String reason) {
            super(reason, null, false, false);
            this.field = field;
        }
    }

    /**
     * @param prefix the path of record i, ending with its separator: {@code programs[3].} for a push,
     *               {@code line 14: } for a file
     */
    static Result validate(List<SourceProgram> inputs, IntFunction<String> prefix) {
        int n = inputs.size();
        String[] ids = new String[n];
        Rejection[] rejections = new Rejection[n];
        // Ids first, in source order: a repeated id is reported at its second place, naming the first.
        Map<String, Integer> firstSeen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            SourceProgram in = inputs.get(i);
            try {
                String sourceId = text(in.sourceId(), prefix.apply(i), "sourceId", 200, true);
                Integer earlier = firstSeen.putIfAbsent(sourceId, i);
                if (earlier != null) {
                    throw new Invalid(prefix.apply(i) + "sourceId", "\"" + sourceId + "\" appears twice; first at "
                            + prefix.apply(earlier).replaceAll("[.:\\s]+$", ""));
                }
                ids[i] = sourceId;
            } catch (Invalid e) {
                rejections[i] = new Rejection(i, in.sourceId(), e.field, e.getMessage());
            }
        }
        // Then each record on its own: they are independent, so both cores check them.
        StagedProgram[] staged = new StagedProgram[n];
        IntStream.range(0, n).parallel().filter(i -> ids[i] != null).forEach(i -> {
            SourceProgram in = inputs.get(i);
            try {
                staged[i] = stage(in, ids[i], prefix.apply(i));
            } catch (Invalid e) {
                rejections[i] = new Rejection(i, in.sourceId(), e.field, e.getMessage());
            }
        });
        List<StagedProgram> accepted = new ArrayList<>(n);
        List<Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (staged[i] != null) {
                accepted.add(staged[i]);
            } else {
                rejected.add(rejections[i]);
            }
        }
        return new Result(accepted, rejected);
    }

    private static StagedProgram stage(SourceProgram in, String sourceId, String path) {
        String name = text(in.name(), path, "name", 300, true);
        Integer minAge = age(in.minAge(), path, "minAge");
        Integer maxAge = age(in.maxAge(), path, "maxAge");
        if (minAge != null && maxAge != null && minAge > maxAge) {
            throw new Invalid(path + "maxAge", "must be at least minAge (" + minAge + "), got " + maxAge);
        }
        List<String> languages = new ArrayList<>();
        List<String> given = in.languages() == null ? List.of() : in.languages();
        for (int j = 0; j < given.size(); j++) {
            String code = given.get(j).trim().toLowerCase(Locale.ROOT);
            if (!LANGUAGE.matcher(code).matches()) {
                throw new Invalid(path + "languages[" + j + "]",
                        "\"" + given.get(j) + "\" is not an ISO 639 code like \"en\" or \"fr\"");
            }
            if (!languages.contains(code)) {
                languages.add(code);
            }
        }
        ProgramStatus status = in.status() == null ? ProgramStatus.ACTIVE : in.status();
        if (status == ProgramStatus.RETIRED) {
            throw new Invalid(path + "status", "RETIRED is set by the hub; use retirePrograms or a snapshot");
        }
        List<StagedProgram.Site> sites = new ArrayList<>();
        List<SourceProgram.Site> siteInputs = in.sites() == null ? List.of() : in.sites();
        for (int j = 0; j < siteInputs.size(); j++) {
            sites.add(site(siteInputs.get(j), path + "sites[" + j + "]"));
        }
        DeliveryMode mode = in.mode() == null ? DeliveryMode.IN_PERSON : in.mode();
        ServiceAreaKind kind;
        String ewkt = null;
        Double radius = null;
        int ways = (in.radiusKm() != null ? 1 : 0) + (in.serviceArea() != null ? 1 : 0)
                + (Boolean.TRUE.equals(in.servesRegion()) ? 1 : 0);
        if (ways > 1) {
            throw new Invalid(path + "radiusKm", "give one of radiusKm, serviceArea or servesRegion");
        }
        if (in.serviceArea() != null) {
            kind = ServiceAreaKind.POLYGON;
            ewkt = polygon(in.serviceArea(), path + "serviceArea");
        } else if (Boolean.TRUE.equals(in.servesRegion()) || ways == 0 && mode == DeliveryMode.VIRTUAL) {
            kind = ServiceAreaKind.REGION;
        } else {
            kind = ServiceAreaKind.RADIUS;
            radius = in.radiusKm() == null ? 5.0 : in.radiusKm();
            if (!(radius > 0 && radius <= 500)) {
                throw new Invalid(path + "radiusKm", "must be greater than 0 and at most 500 km, got " + radius);
            }
            if (sites.isEmpty()) {
                throw new Invalid(path + "sites", "a program served around its sites needs at least one site "
                        + "(or give serviceArea, or servesRegion for a virtual program)");
            }
        }
        Integer active = count(in.activeMatches(), path, "activeMatches");
        Integer max = count(in.maxMatches(), path, "maxMatches");
        Integer waitlist = count(in.waitlist(), path, "waitlist");
        StagedProgram.Organization organization = null;
        if (in.organization() != null) {
            SourceProgram.Organization o = in.organization();
            organization = new StagedProgram.Organization(text(o.sourceId(), path, "organization.sourceId", 200, true),
                    text(o.name(), path, "organization.name", 300, true),
                    text(o.website(), path, "organization.website", 500, false),
                    text(o.email(), path, "organization.email", 300, false),
                    text(o.phone(), path, "organization.phone", 100, false));
        }
        return new StagedProgram(sourceId, name, text(in.description(), path, "description", 10_000, false), minAge,
                maxAge, in.model() == null ? null : in.model().name(),
                in.setting() == null ? null : in.setting().name(), languages, mode.name(), kind.name(), radius, ewkt,
                active, max, waitlist, in.feeFree(), text(in.feeDescription(), path, "feeDescription", 1000, false),
                status.name(), organization, sites);
    }

    private static StagedProgram.Site site(SourceProgram.Site s, String path) {
        if (s.latitude() == null || s.longitude() == null) {
            throw new Invalid(path + (s.latitude() == null ? ".latitude" : ".longitude"), "is required");
        }
        double lat = s.latitude();
        double lon = s.longitude();
        if (!(lat >= -90 && lat <= 90)) {
            throw new Invalid(path + ".latitude", lat + " is not a latitude (-90 to 90)");
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new Invalid(path + ".longitude", lon + " is not a longitude (-180 to 180)");
        }
        if (!CanadaExtent.contains(lat, lon)) {
            throw new Invalid(path + ".latitude", "(" + lat + ", " + lon + ") is outside Canada"
                    + (CanadaExtent.looksSwapped(lat, lon) ? "; latitude and longitude look swapped" : ""));
        }
        String postal = null;
        if (s.postalCode() != null && !s.postalCode().isBlank()) {
            Matcher m = POSTAL.matcher(s.postalCode().trim());
            if (!m.matches()) {
                throw new Invalid(path + ".postalCode", "\"" + s.postalCode() + "\" is not a Canadian postal code "
                        + "like K1A 0B1");
            }
            postal = (m.group(1) + " " + m.group(2)).toUpperCase(Locale.ROOT);
        }
        String province = null;
        if (s.province() != null && !s.province().isBlank()) {
            province = s.province().trim().toUpperCase(Locale.ROOT);
            if (!PROVINCE.matcher(province).matches()) {
                throw new Invalid(path + ".province", "\"" + s.province() + "\" is not a province or territory "
                        + "abbreviation like ON or QC");
            }
        }
        return new StagedProgram.Site(text(s.sourceId(), path, ".sourceId", 200, false),
                text(s.name(), path, ".name", 300, false), text(s.address(), path, ".address", 500, false),
                text(s.city(), path, ".city", 200, false), province, postal, lat, lon,
                (s.precision() == null ? LocationPrecision.EXACT : s.precision()).name());
    }

    private static String polygon(Map<String, Object> json, String path) {
        Geometry g;
        try {
            g = GeoJsonGeometry.read(json);
        } catch (GeoJsonException e) {
            throw new Invalid(e.path().isEmpty() ? path : path + "." + e.path(), e.reason());
        }
        if (g instanceof Polygon polygon) {
            g = GeoJsonGeometry.factory().createMultiPolygon(new Polygon[] {polygon});
        }
        if (!(g instanceof MultiPolygon)) {
            throw new Invalid(path, "must be a Polygon or MultiPolygon, got a " + g.getGeometryType());
        }
        TopologyValidationError error = new IsValidOp(g).getValidationError();
        if (error != null) {
            throw new Invalid(path, "the polygon is not valid: " + error.getMessage());
        }
        if (!CanadaExtent.contains(g)) {
            throw new Invalid(path, "the polygon reaches outside Canada");
        }
        return "SRID=4326;" + new WKTWriter().write(g);
    }

    /*
     * The field's path is passed in two parts (the record's path and the field's name) and joined only for a
     * message: valid records, nearly all of them, then cost no string building per field.
     */
    private static String text(String value, String path, String field, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new Invalid(path + field, "is required");
            }
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw new Invalid(path + field, "is " + trimmed.length() + " characters; at most " + max);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t') {
                throw new Invalid(path + field, "contains control characters");
            }
        }
        return trimmed;
    }

    private static Integer age(Integer age, String path, String field) {
        if (age != null && (age < 0 || age > 120)) {
            throw new Invalid(path + field, "must be an age from 0 to 120, got " + age);
        }
        return age;
    }

    private static Integer count(Integer value, String path, String field) {
        if (value != null && value < 0) {
            throw new Invalid(path + field, "must not be negative, got " + value);
        }
        return value;
    }
}
