package ca.cmp.hub.program;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import ca.cmp.hub.model.DeliveryMode;
import ca.cmp.hub.model.MentoringModel;
import ca.cmp.hub.model.ProgramSetting;
import ca.cmp.hub.model.ProgramStatus;
import ca.cmp.hub.geo.CanadaExtent;
import ca.cmp.hub.geo.geojson.GeoJsonException;
import ca.cmp.hub.geo.geojson.GeoJsonGeometry;
import ca.cmp.hub.graphql.Ids;
import ca.cmp.hub.graphql.InvalidArgumentException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * A validated program filter. Built from the GraphQL {@code ProgramFilter} input; every rule that the database
 * would otherwise answer with an error or nonsense is checked here, with the argument's path in the message.
 *
 * @param near     search point and radius, or null
 * @param within   a valid (Multi)Polygon inside Canada, SRID 4326, or null
 * @param bbox     lon/lat box, or null
 * @param minAge   youngest age the program must serve, or null
 * @param maxAge   oldest age the program must serve, or null
 * @param statuses never empty: [ACTIVE] unless the filter says otherwise
 * @param includeRetired whether programs of retired partnerships are found; they are anyway when
 *                       {@code partnerships} names their partnership
 * @param changedSince   only programs last changed strictly after it, listed by (last change, id); or null
 */
record ProgramCriteria(Near near, Geometry within, Envelope bbox, Integer minAge, Integer maxAge,
        List<MentoringModel> models, List<ProgramSetting> settings, List<String> languages, List<DeliveryMode> modes,
        List<UUID> partnerships, List<ProgramStatus> statuses, boolean includeRetired, Instant changedSince) {

    ProgramCriteria(Near near, Geometry within, Envelope bbox, Integer minAge, Integer maxAge,
            List<MentoringModel> models, List<ProgramSetting> settings, List<String> languages,
            List<DeliveryMode> modes, List<UUID> partnerships, List<ProgramStatus> statuses) {
        this(near, within, bbox, minAge, maxAge, models, settings, languages, modes, partnerships, statuses, false,
                null);
    }

    ProgramCriteria(Near near, Geometry within, Envelope bbox, Integer minAge, Integer maxAge,
            List<MentoringModel> models, List<ProgramSetting> settings, List<String> languages,
            List<DeliveryMode> modes, List<UUID> partnerships, List<ProgramStatus> statuses, boolean includeRetired) {
        this(near, within, bbox, minAge, maxAge, models, settings, languages, modes, partnerships, statuses,
                includeRetired, null);
    }

    /** How the listing is ordered, and so which cursors it takes. */
    ProgramCursor.Order order() {
        return near != null ? ProgramCursor.Order.DISTANCE
                : changedSince != null ? ProgramCursor.Order.CHANGE : ProgramCursor.Order.NAME;
    }

    static final double MAX_RADIUS_KM = 500;
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final int MAX_LIST = 100;
    private static final int MAX_VERTICES = 10_000;

    record Near(double latitude, double longitude, double radiusKm) {
    }

    /** The GraphQL input; {@code within} is raw GeoJSON. */
    record Input(NearInput near, Map<String, Object> within, BoundingBoxInput bbox, AgeRangeInput ages,
            List<MentoringModel> model, List<ProgramSetting> setting, List<String> language, List<DeliveryMode> mode,
            List<String> partnership, List<ProgramStatus> status, Boolean includeRetired, Instant changedSince) {

        Input(NearInput near, Map<String, Object> within, BoundingBoxInput bbox, AgeRangeInput ages,
                List<MentoringModel> model, List<ProgramSetting> setting, List<String> language,
                List<DeliveryMode> mode, List<String> partnership, List<ProgramStatus> status,
                Boolean includeRetired) {
            this(near, within, bbox, ages, model, setting, language, mode, partnership, status, includeRetired, null);
        }

        /**
         * The input from graphql-java's coerced argument (null when absent): every value already has its schema
         * type (Float as Double, Int as Integer, enums and IDs as their names, DateTime as Instant, GeoJSON as a
         * map). Read by hand rather than by Spring for GraphQL's binder, which looked up the records' constructors
         * and parameter names on every request: about 5% of the hub's CPU on a page of programs near a point.
         */
        @SuppressWarnings("unchecked")
        static Input of(Map<String, Object> in) {
            if (in == null) {
                return null;
            }
            Map<String, Object> near = (Map<String, Object>) in.get("near");
            Map<String, Object> bbox = (Map<String, Object>) in.get("bbox");
            Map<String, Object> ages = (Map<String, Object>) in.get("ages");
            return new Input(
                    near == null ? null : new NearInput(number(near, "latitude"), number(near, "longitude"),
                            number(near, "radiusKm")),
                    (Map<String, Object>) in.get("within"),
                    bbox == null ? null : new BoundingBoxInput(number(bbox, "west"), number(bbox, "south"),
                            number(bbox, "east"), number(bbox, "north")),
                    ages == null ? null : new AgeRangeInput(integer(ages, "min"), integer(ages, "max")),
                    enums(in.get("model"), MentoringModel.class), enums(in.get("setting"), ProgramSetting.class),
                    (List<String>) in.get("language"), enums(in.get("mode"), DeliveryMode.class),
                    (List<String>) in.get("partnership"), enums(in.get("status"), ProgramStatus.class),
                    (Boolean) in.get("includeRetired"), (Instant) in.get("changedSince"));
        }

        private static Double number(Map<String, Object> in, String name) {
            Object value = in.get(name);
            return value == null ? null : ((Number) value).doubleValue();
        }

        private static Integer integer(Map<String, Object> in, String name) {
            Object value = in.get(name);
            return value == null ? null : ((Number) value).intValue();
        }

        private static <E extends Enum<E>> List<E> enums(Object values, Class<E> type) {
            if (values == null) {
                return null;
            }
            List<?> names = (List<?>) values;
            List<E> result = new java.util.ArrayList<>(names.size());
            for (Object name : names) {
                result.add(type.isInstance(name) ? type.cast(name) : Enum.valueOf(type, name.toString()));
            }
            return result;
        }
    }

    record NearInput(Double latitude, Double longitude, Double radiusKm) {
    }

    record BoundingBoxInput(Double west, Double south, Double east, Double north) {
    }

    record AgeRangeInput(Integer min, Integer max) {
    }

    static ProgramCriteria from(Input in) {
        if (in == null) {
            return new ProgramCriteria(null, null, null, null, null, List.of(), List.of(), List.of(), List.of(),
                    List.of(), List.of(ProgramStatus.ACTIVE));
        }
        Integer minAge = null;
        Integer maxAge = null;
        if (in.ages() != null) {
            minAge = in.ages().min();
            maxAge = in.ages().max() == null ? minAge : in.ages().max();
            if (minAge < 0 || minAge > 120) {
                throw new InvalidArgumentException("filter.ages.min", "must be an age from 0 to 120, got " + minAge);
            }
            if (maxAge < minAge || maxAge > 120) {
                throw new InvalidArgumentException("filter.ages.max",
                        "must be from ages.min (" + minAge + ") to 120, got " + maxAge);
            }
        }
        List<String> languages = list("filter.language", in.language());
        for (int i = 0; i < languages.size(); i++) {
            if (!LANGUAGE.matcher(languages.get(i)).matches()) {
                throw new InvalidArgumentException("filter.language[" + i + "]",
                        "\"" + languages.get(i) + "\" is not an ISO 639 code like \"en\" or \"fr\"");
            }
        }
        List<String> partnershipIds = list("filter.partnership", in.partnership());
        List<UUID> partnerships = new java.util.ArrayList<>(partnershipIds.size());
        for (int i = 0; i < partnershipIds.size(); i++) {
            partnerships.add(Ids.parse("filter.partnership[" + i + "]", partnershipIds.get(i)));
        }
        List<ProgramStatus> statuses = list("filter.status", in.status());
        if (in.changedSince() != null && in.near() != null) {
            throw new InvalidArgumentException("filter.changedSince", "cannot be combined with near: a listing of "
                    + "changes is ordered by change time, a near one by distance");
        }
        // A listing of changes shows retirements too, so that a downstream copy can retire what was retired here.
        List<ProgramStatus> defaults = in.changedSince() == null ? List.of(ProgramStatus.ACTIVE)
                : List.of(ProgramStatus.values());
        return new ProgramCriteria(near(in.near()), within(in.within()), bbox(in.bbox()), minAge, maxAge,
                list("filter.model", in.model()), list("filter.setting", in.setting()), languages,
                list("filter.mode", in.mode()), partnerships, statuses.isEmpty() ? defaults : statuses,
                Boolean.TRUE.equals(in.includeRetired()), in.changedSince());
    }

    private static <T> List<T> list(String argument, List<T> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST) {
            throw new InvalidArgumentException(argument, "at most " + MAX_LIST + " values, got " + values.size());
        }
        return values.stream().distinct().toList();
    }

    private static Near near(NearInput in) {
        if (in == null) {
            return null;
        }
        double lat = in.latitude();
        double lon = in.longitude();
        double radius = in.radiusKm();
        if (!(lat >= -90 && lat <= 90)) {
            throw new InvalidArgumentException("filter.near.latitude", "must be from -90 to 90, got " + lat);
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new InvalidArgumentException("filter.near.longitude", "must be from -180 to 180, got " + lon);
        }
        if (!CanadaExtent.contains(lat, lon)) {
            String hint = CanadaExtent.looksSwapped(lat, lon) ? " (latitude and longitude look swapped)" : "";
            throw new InvalidArgumentException("filter.near",
                    "the point (" + lat + ", " + lon + ") is outside Canada" + hint);
        }
        if (!(radius > 0 && radius <= MAX_RADIUS_KM)) {
            throw new InvalidArgumentException("filter.near.radiusKm",
                    "must be greater than 0 and at most " + (int) MAX_RADIUS_KM + " km, got " + radius);
        }
        return new Near(lat, lon, radius);
    }

    private static Geometry within(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        Geometry geometry;
        try {
            geometry = GeoJsonGeometry.read(json);
        } catch (GeoJsonException e) {
            throw new InvalidArgumentException(e.path().isEmpty() ? "filter.within" : "filter.within." + e.path(),
                    e.reason());
        }
        if (!(geometry instanceof Polygon) && !(geometry instanceof MultiPolygon)) {
            throw new InvalidArgumentException("filter.within",
                    "must be a Polygon or MultiPolygon, got a " + geometry.getGeometryType());
        }
        if (geometry.getNumPoints() > MAX_VERTICES) {
            throw new InvalidArgumentException("filter.within", "at most " + MAX_VERTICES + " vertices, got "
                    + geometry.getNumPoints() + " (simplify the polygon)");
        }
        TopologyValidationError error = new IsValidOp(geometry).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            throw new InvalidArgumentException("filter.within", "the polygon is not valid: " + error.getMessage()
                    + (at == null ? "" : " at (" + degrees(at.x) + ", " + degrees(at.y) + ")"));
        }
        Coordinate outside = CanadaExtent.firstOutside(geometry);
        if (outside != null) {
            throw new InvalidArgumentException("filter.within",
                    "the position [" + outside.x + ", " + outside.y + "] is outside Canada");
        }
        return geometry;
    }

    /** Degrees to 7 decimals (about 1 cm), so computed intersections read as people wrote them. */
    private static String degrees(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(7, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private static Envelope bbox(BoundingBoxInput in) {
        if (in == null) {
            return null;
        }
        if (!(in.west() >= -180 && in.east() <= 180 && in.west() < in.east())) {
            throw new InvalidArgumentException("filter.bbox",
                    "needs -180 <= west < east <= 180, got west " + in.west() + ", east " + in.east());
        }
        if (!(in.south() >= -90 && in.north() <= 90 && in.south() < in.north())) {
            throw new InvalidArgumentException("filter.bbox",
                    "needs -90 <= south < north <= 90, got south " + in.south() + ", north " + in.north());
        }
        Envelope box = new Envelope(in.west(), in.east(), in.south(), in.north());
        Envelope canada = new Envelope(CanadaExtent.MIN_LONGITUDE, CanadaExtent.MAX_LONGITUDE,
                CanadaExtent.MIN_LATITUDE, CanadaExtent.MAX_LATITUDE);
        if (!box.intersects(canada)) {
            throw new InvalidArgumentException("filter.bbox", "the box does not overlap Canada");
        }
        return box;
    }
}
