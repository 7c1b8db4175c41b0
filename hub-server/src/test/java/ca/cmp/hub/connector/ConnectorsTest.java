package ca.cmp.hub.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.security.Role;
import ca.cmp.hub.support.Callers;
import ca.cmp.hub.support.Fixtures;
import ca.cmp.hub.support.HubTest;
import ca.cmp.hub.support.OpenData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Partnerships register connectors over GraphQL and the hub pulls their real files: GeoJSON and CSV feeds
 * become programs, re-runs change nothing, vanished records are retired, a broken feed changes nothing, and
 * connector locations cannot point the hub at its own network or files.
 */
@HubTest
class ConnectorsTest {

    @Autowired
    GraphQlTester graphQl;

    @Autowired
    Fixtures fixtures;

    @Autowired
    JdbcTemplate jdbc;

    Partnership mine;
    Path feeds;

    @BeforeEach
    void partnership() throws Exception {
        mine = fixtures.partnership("Feeds");
        Callers.partnerOf(mine.getSlug());
        feeds = Files.createDirectories(Path.of("target/test-imports", mine.getSlug()));
    }

    @AfterEach
    void nobody() {
        Callers.anonymous();
    }

    private GraphQlTester.Response register(String name, String kind, String location, Map<String, Object> mapping) {
        return graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", Map.of("name", name, "kind", kind, "location", location, "mapping", mapping))
                .execute();
    }

    private String registered(String name, String kind, String location, Map<String, Object> mapping) {
        GraphQlTester.Response response = register(name, kind, location, mapping);
        response.path("registerConnector.__typename").entity(String.class).isEqualTo("ConnectorSaved");
        return response.path("registerConnector.connector.id").entity(String.class).get();
    }

    private GraphQlTester.Response run(String id) {
        return graphQl.documentName("runConnector").variable("id", id).variable("wait", true).execute();
    }

    private Map<String, Object> counts(GraphQlTester.Response response) {
        return response.path("runConnector.run.counts").entity(Map.class).get();
    }

    @Test
    void theTorontoSchoolsFeedBecomesProgramsAndASecondRunChangesNothing() {
        String id = registered("Schools", "GEOJSON", OpenData.dir().resolve("places/toronto_schools.geojson").toString(),
                Map.of("fields", Map.of("sourceId", "school_id"), "defaults",
                        Map.of("setting", "SCHOOL", "model", "GROUP", "minAge", 6, "maxAge", 18, "radiusKm", 2)));

        GraphQlTester.Response first = run(id);
        first.path("runConnector.run.status").entity(String.class).isEqualTo("SUCCEEDED");
        first.path("runConnector.run.mode").entity(String.class).isEqualTo("FULL");
        assertThat(counts(first)).containsEntry("read", 1327).containsEntry("inserted", 1327)
                .containsEntry("rejected", 0);

        GraphQlTester.Response second = run(id);
        assertThat(counts(second)).containsEntry("inserted", 0).containsEntry("updated", 0)
                .containsEntry("unchanged", 1327).containsEntry("retired", 0);

        Map<String, Object> stored = jdbc.queryForMap("""
                SELECT count(*) AS n, count(DISTINCT version) AS versions, min(setting) AS setting,
                       bool_and(connector_id::text = ?) AS from_connector, bool_and(source = ?) AS labelled
                FROM program WHERE partnership_id = ?""", id, "connector:" + id, mine.getId());
        assertThat(stored).containsEntry("n", 1327L).containsEntry("versions", 1L).containsEntry("setting", "SCHOOL")
                .containsEntry("from_connector", true).containsEntry("labelled", true);
        graphQl.documentName("connectors").variable("partnership", mine.getSlug()).execute()
                .path("connectors[0].runs[*].status").entityList(String.class)
                .containsExactly("SUCCEEDED", "SUCCEEDED");
    }

    @Test
    void aCsvFeedIsGeocodedChecksEachLineRetiresWhatVanishesAndABrokenFileChangesNothing() throws Exception {
        Path csv = feeds.resolve("programs.csv");
        Files.writeString(csv, """
                ID,Program,Postal,Lat,Lon,Ages from,Ages to,Model
                p1,Big Sisters Downtown,M5V 3L9,43.6426,-79.3871,8,14,one-to-one
                p2,Peer circle,M6H 1A1,,,12,18,peer
                p3,Swapped,M4C 1B5,-79.30,43.68,10,16,group
                p4,Vancouver? no — Paris,,48.85,2.35,10,16,group
                p1,Duplicate,M5V 3L9,43.64,-79.38,8,14,group
                p5,Team up,M1B 1A1,43.80,-79.20,9,13,team
                """);
        Map<String, Object> mapping = Map.of("fields", Map.of("sourceId", "ID", "name", "Program",
                "postalCode", "Postal", "latitude", "Lat", "longitude", "Lon", "minAge", "Ages from",
                "maxAge", "Ages to", "model", "Model"), "defaults", Map.of("radiusKm", 3));
        String id = registered("Spreadsheet", "CSV", csv.toString(), mapping);

        GraphQlTester.Response first = run(id);
        assertThat(counts(first)).containsEntry("read", 6).containsEntry("inserted", 3).containsEntry("rejected", 3);
        first.path("runConnector.run.rejections[*].field").entityList(String.class).containsExactly(
                "line 4: sites[0].latitude", "line 5: sites[0].latitude", "line 6: sourceId");
        first.path("runConnector.run.rejections[0].reason").entity(String.class)
                .satisfies(r -> assertThat(r).contains("outside Canada").contains("swapped"));
        first.path("runConnector.run.rejections[2].reason").entity(String.class)
                .satisfies(r -> assertThat(r).contains("appears twice; first at line 2"));
        assertThat(jdbc.queryForObject("""
                SELECT s.precision FROM site s JOIN program p ON p.id = s.program_id
                WHERE p.partnership_id = ? AND p.source_id = 'p2'""", String.class, mine.getId()))
                .isEqualTo("POSTAL_FSA");

        // p5 vanishes, p2 changes, p3 is fixed.
        Files.writeString(csv, """
                ID,Program,Postal,Lat,Lon,Ages from,Ages to,Model
                p1,Big Sisters Downtown,M5V 3L9,43.6426,-79.3871,8,14,one-to-one
                p2,Peer circle (ages 11+),M6H 1A1,,,11,18,peer
                p3,Swapped,M4C 1B5,43.68,-79.30,10,16,group
                """);
        GraphQlTester.Response second = run(id);
        assertThat(counts(second)).containsEntry("inserted", 1).containsEntry("updated", 1)
                .containsEntry("unchanged", 1).containsEntry("retired", 1).containsEntry("rejected", 0);
        assertThat(jdbc.queryForObject("SELECT status FROM program WHERE partnership_id = ? AND source_id = 'p5'",
                String.class, mine.getId())).isEqualTo("RETIRED");

        Files.writeString(csv, "ID,Program\np1,\"never closed\np2,x\n");
        GraphQlTester.Response broken = run(id);
        broken.path("runConnector.run.status").entity(String.class).isEqualTo("FAILED");
        broken.path("runConnector.run.failure").entity(String.class)
                .satisfies(f -> assertThat(f).contains("line 2: a quoted field is never closed"));
        assertThat(jdbc.queryForList("SELECT source_id || ':' || status FROM program WHERE partnership_id = ? "
                + "ORDER BY source_id", String.class, mine.getId()))
                .containsExactly("p1:ACTIVE", "p2:ACTIVE", "p3:ACTIVE", "p5:RETIRED");
    }

    @Test
    void anUnchangedDocumentIsNotReadAgainUnlessItOrItsProgramsChanged() throws Exception {
        Path csv = feeds.resolve("unchanged.csv");
        String lines = "ID,Program,Lat,Lon\nu1,One,43.65,-79.38\nu2,Two,43.66,-79.39\nu3,Paris,48.85,2.35\n";
        Files.writeString(csv, lines);
        String id = registered("Unchanged", "CSV", csv.toString(), Map.of("fields", Map.of("sourceId", "ID", "name",
                "Program", "latitude", "Lat", "longitude", "Lon"), "defaults", Map.of("radiusKm", 3)));
        GraphQlTester.Response first = run(id);
        assertThat(counts(first)).containsEntry("read", 3).containsEntry("inserted", 2).containsEntry("rejected", 1);
        first.path("runConnector.run.sameDocumentAs").valueIsNull();
        String firstRun = first.path("runConnector.run.id").entity(String.class).get();

        GraphQlTester.Response again = run(id);
        again.path("runConnector.run.sameDocumentAs").entity(String.class).isEqualTo(firstRun);
        assertThat(counts(again)).containsEntry("read", 3).containsEntry("inserted", 0).containsEntry("updated", 0)
                .containsEntry("unchanged", 2).containsEntry("retired", 0).containsEntry("rejected", 1);
        again.path("runConnector.run.rejections[*].field").entityList(String.class)
                .containsExactly("line 4: sites[0].latitude");
        assertThat(jdbc.queryForObject("SELECT last_full_sync_at >= (SELECT finished_at FROM sync_run WHERE id = ?) "
                + "FROM connector WHERE id = ?::uuid", Boolean.class, UUID.fromString(firstRun), id))
                .as("the unchanged run is a full sync: it verifies the programs").isTrue();

        // Written behind the connector's back (here by hand): the next run reads the document, and puts it right.
        jdbc.update("UPDATE program SET status = 'RETIRED' WHERE partnership_id = ? AND source_id = 'u1'",
                mine.getId());
        GraphQlTester.Response afterRetire = run(id);
        afterRetire.path("runConnector.run.sameDocumentAs").valueIsNull();
        assertThat(counts(afterRetire)).containsEntry("updated", 1).containsEntry("unchanged", 1);
        String reread = afterRetire.path("runConnector.run.id").entity(String.class).get();
        run(id).path("runConnector.run.sameDocumentAs").entity(String.class).isEqualTo(reread);

        // The same records in other bytes: read, and found unchanged record by record.
        Files.writeString(csv, lines.replace("\n", "\r\n"));
        GraphQlTester.Response otherBytes = run(id);
        otherBytes.path("runConnector.run.sameDocumentAs").valueIsNull();
        assertThat(counts(otherBytes)).containsEntry("inserted", 0).containsEntry("updated", 0)
                .containsEntry("unchanged", 2).containsEntry("rejected", 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/feed.csv", "http://localhost/feed.csv", "http://[::1]/feed.csv",
            "http://10.0.0.7/feed.csv", "http://169.254.169.254/latest/meta-data/", "http://192.168.0.10/x.csv",
            "http://[::ffff:10.0.0.1]/x.csv", "/etc/passwd", "file:///etc/hostname", "target/test-imports/../../pom.xml",
            "ftp://example.org/x.csv"})
    void connectorLocationsCannotReachTheHubsOwnNetworkOrFiles(String location) {
        register("Sneaky", "CSV", location, Map.of()).path("registerConnector").entity(Map.class).satisfies(r -> {
            assertThat(r.get("__typename")).isEqualTo("InvalidConnector");
            assertThat(r.get("field")).isEqualTo("connector.location");
            assertThat((String) r.get("message")).containsAnyOf("refused", "import folders", "only http",
                    "no file");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM connector WHERE partnership_id = ?", Long.class,
                mine.getId())).isZero();
    }

    @Test
    void badMappingsAndSchedulesAreRefusedNamingTheField() {
        String schools = OpenData.dir().resolve("places/toronto_schools.geojson").toString();
        register("x", "GEOJSON", schools, Map.of("fields", Map.of("colour", "c")))
                .path("registerConnector.field").entity(String.class).isEqualTo("connector.mapping.fields.colour");
        graphQl.documentName("registerConnector").variable("partnership", mine.getSlug())
                .variable("connector", Map.of("name", "x", "kind", "GEOJSON", "location", schools,
                        "schedule", "every day"))
                .execute().path("registerConnector.field").entity(String.class).isEqualTo("connector.schedule");
        register("x", "HSDS_API", schools, Map.of()).path("registerConnector.message").entity(String.class)
                .satisfies(m -> assertThat(m).contains("needs an http(s) URL"));
    }

    @Test
    void onlyThePartnershipsPartnersPlannersAndAdminsManageItsConnectors() {
        String schools = OpenData.dir().resolve("places/toronto_schools.geojson").toString();
        Partnership other = fixtures.partnership("Other");
        Callers.partnerOf(other.getSlug());
        register("Theirs", "GEOJSON", schools, Map.of()).path("registerConnector.__typename").entity(String.class)
                .isEqualTo("NotAllowed");
        Callers.as("funder", Role.FUNDER, null);
        register("Funded", "GEOJSON", schools, Map.of()).path("registerConnector.__typename").entity(String.class)
                .isEqualTo("NotAllowed");
        graphQl.documentName("connectors").variable("partnership", mine.getSlug()).execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getErrorType())
                                .isEqualTo(org.springframework.graphql.execution.ErrorType.FORBIDDEN)));
        Callers.anonymous();
        register("Anon", "GEOJSON", schools, Map.of()).path("registerConnector.__typename").entity(String.class)
                .isEqualTo("NotAllowed");
        Callers.as("planner", Role.PLANNER, null);
        String id = registered("Planned", "GEOJSON", schools, Map.of("fields", Map.of("sourceId", "school_id")));
        Callers.partnerOf(other.getSlug());
        run(id).path("runConnector.__typename").entity(String.class).isEqualTo("NotAllowed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE target = ? AND outcome = 'REFUSED'",
                Long.class, "partnership:" + mine.getSlug())).isGreaterThanOrEqualTo(4);
    }
}
