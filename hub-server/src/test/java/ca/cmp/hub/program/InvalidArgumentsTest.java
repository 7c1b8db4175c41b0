package ca.cmp.hub.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ca.cmp.hub.support.HubTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Bad arguments get a BAD_REQUEST error that names the argument and says what is allowed; never an internal error. */
@HubTest
class InvalidArgumentsTest {

    @Autowired
    GraphQlTester graphQl;

    static Map<String, Object> near(double lat, double lon, double radiusKm) {
        return Map.of("latitude", lat, "longitude", lon, "radiusKm", radiusKm);
    }

    static Map<String, Object> polygon(List<List<Double>> ring) {
        return Map.of("type", "Polygon", "coordinates", List.of(ring));
    }

    static Stream<Arguments> badFilters() {
        return Stream.of(
                Arguments.of(Map.of("near", near(43.65, -79.38, 0)), 20, "filter.near.radiusKm",
                        "filter.near.radiusKm: must be greater than 0 and at most 500 km, got 0.0"),
                Arguments.of(Map.of("near", near(43.65, -79.38, -3)), 20, "filter.near.radiusKm",
                        "filter.near.radiusKm: must be greater than 0 and at most 500 km, got -3.0"),
                Arguments.of(Map.of("near", near(43.65, -79.38, 20000)), 20, "filter.near.radiusKm",
                        "filter.near.radiusKm: must be greater than 0 and at most 500 km, got 20000.0"),
                Arguments.of(Map.of("near", near(48.85, 2.35, 5)), 20, "filter.near",
                        "filter.near: the point (48.85, 2.35) is outside Canada"),
                Arguments.of(Map.of("near", near(-79.38, 43.65, 5)), 20, "filter.near",
                        "filter.near: the point (-79.38, 43.65) is outside Canada (latitude and longitude look swapped)"),
                Arguments.of(Map.of("near", near(95, -79.38, 5)), 20, "filter.near.latitude",
                        "filter.near.latitude: must be from -90 to 90, got 95.0"),
                Arguments.of(Map.of("within", Map.of("type", "Polygon")), 20, "filter.within.coordinates",
                        "filter.within.coordinates: a Polygon needs \"coordinates\""),
                Arguments.of(Map.of("within", Map.of("type", "Polygon", "coordinates", List.of(List.of(
                        List.of(-79.4, 43.6), List.of(-79.3, 43.6), List.of(-79.3, 43.7), List.of(-79.4, 43.65))))),
                        20, "filter.within.coordinates[0]",
                        "filter.within.coordinates[0]: a linear ring must end where it starts (first and last positions equal)"),
                // A bow-tie: the ring crosses itself at (-79.35, 43.65).
                Arguments.of(Map.of("within", polygon(List.of(List.of(-79.4, 43.6), List.of(-79.3, 43.7),
                        List.of(-79.3, 43.6), List.of(-79.4, 43.7), List.of(-79.4, 43.6)))), 20, "filter.within",
                        "filter.within: the polygon is not valid: Self-intersection at (-79.35, 43.65)"),
                Arguments.of(Map.of("within", polygon(List.of(List.of(2.0, 48.0), List.of(3.0, 48.0),
                        List.of(3.0, 49.0), List.of(2.0, 48.0)))), 20, "filter.within",
                        "filter.within: the position [2.0, 48.0] is outside Canada"),
                Arguments.of(Map.of("within", Map.of("type", "Point", "coordinates", List.of(-79.4, 43.6))), 20,
                        "filter.within", "filter.within: must be a Polygon or MultiPolygon, got a Point"),
                Arguments.of(Map.of("bbox", Map.of("west", -79.0, "south", 43.0, "east", -80.0, "north", 44.0)), 20,
                        "filter.bbox", "filter.bbox: needs -180 <= west < east <= 180, got west -79.0, east -80.0"),
                Arguments.of(Map.of("ages", Map.of("min", 12, "max", 8)), 20, "filter.ages.max",
                        "filter.ages.max: must be from ages.min (12) to 120, got 8"),
                Arguments.of(Map.of("language", List.of("French")), 20, "filter.language[0]",
                        "filter.language[0]: \"French\" is not an ISO 639 code like \"en\" or \"fr\""),
                Arguments.of(Map.of("partnership", List.of("toronto")), 20, "filter.partnership[0]",
                        "filter.partnership[0]: \"toronto\" is not a hub id (a UUID)"),
                Arguments.of(Map.of(), 101, "first", "first: must be from 1 to 100, got 101"),
                Arguments.of(Map.of(), 0, "first", "first: must be from 1 to 100, got 0"));
    }

    @ParameterizedTest
    @MethodSource("badFilters")
    void badArgumentIsNamed(Map<String, Object> filter, int first, String argument, String message) {
        graphQl.documentName("programs").variable("filter", filter).variable("first", first).execute()
                .errors().satisfy(errors -> {
                    assertThat(errors).hasSize(1);
                    assertThat(errors.get(0).getErrorType()).isEqualTo(ErrorType.BAD_REQUEST);
                    assertThat(errors.get(0).getMessage()).isEqualTo(message);
                    assertThat(errors.get(0).getExtensions()).containsEntry("argument", argument);
                })
                // programs is non-null in the schema, so the error nulls the whole data.
                .path("programs").pathDoesNotExist();
    }

    @ParameterizedTest
    @MethodSource("badCursors")
    void foreignOrForgedCursorIsRefused(Map<String, Object> filter, String after, String message) {
        graphQl.documentName("programs").variable("filter", filter).variable("after", after).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(message)));
    }

    static Stream<Arguments> badCursors() {
        String byName = ProgramCursor.byName("Alpha", java.util.UUID.randomUUID()).encode();
        return Stream.of(
                Arguments.of(Map.of(), "not-a-cursor", "after: is not a cursor returned by programs()"),
                Arguments.of(Map.of("near", near(43.65, -79.38, 5)), byName,
                        "after: this cursor belongs to a listing ordered by name (without filter.near)"));
    }

    @org.junit.jupiter.api.Test
    void geoJsonMustBeAnObject() {
        graphQl.document("{ programs(filter: {within: \"POLYGON((0 0, 1 0, 1 1, 0 0))\"}) { totalCount } }")
                .execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
                    assertThat(e.getMessage()).contains("within").contains("a GeoJSON geometry must be an object");
                }));
    }
}
