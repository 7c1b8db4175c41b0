package ca.cmp.hub.connectors.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Paths into GraphQL answers and records, and the mapping keys a generic GraphQL source is checked by. */
class GraphQlSourceMappingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void pathsReachListsIndexesAndNamesInAnyCase() {
        JsonNode answer = JSON.readTree("""
                {"data": {"services": {"edges": [{"node": {"Key": "a", "locations": [{"lat": 43.6}]}},
                                                 {"node": {"Key": "b", "locations": [], "place": null}}]}}}""");
        List<JsonNode> records = ResponsePath.parse("data.services.edges[].node", true).all(answer);
        assertThat(records).hasSize(2);
        ResponsePath lat = ResponsePath.parse("locations[0].lat", false);
        assertThat(lat.at(records.get(0)).asDouble()).isEqualTo(43.6);
        assertThat(lat.at(records.get(1))).isNull();
        assertThat(ResponsePath.parse("key", false).at(records.get(1)).asString()).isEqualTo("b");
        // The source has these fields (empty or null in this record); it has no "colour".
        assertThat(lat.reaches(records.get(1))).isTrue();
        assertThat(ResponsePath.parse("place.street", false).reaches(records.get(1))).isTrue();
        assertThat(ResponsePath.parse("colour", false).reaches(records.get(0))).isFalse();
        // A list path over something that is no list does not reach a list of records.
        assertThat(ResponsePath.parse("data.services[].node", true).all(answer)).isNull();
        assertThat(ResponsePath.parse("data.missing", true).all(answer)).isNull();
        // A records path that ends on the list itself means its elements, as edges[].node does.
        JsonNode items = JSON.readTree("""
                {"data": {"items": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}}""");
        assertThat(ResponsePath.parse("data.items", true).records(items)).extracting(n -> n.get("id").asString())
                .containsExactly("a", "b", "c");
        assertThat(ResponsePath.parse("data.services.edges[].node", true).records(answer)).hasSize(2);
        assertThatThrownBy(() -> ResponsePath.parse("edges[].node", false))
                .hasMessageContaining("[] (every element) is for the page path");
        assertThatThrownBy(() -> ResponsePath.parse("place..lat", false)).hasMessageContaining("not a field name");
    }

    @Test
    void aMappingNamesTheKeyAtFault() {
        Map<String, Object> good = new HashMap<>(Map.of("query", "query($after: String) { items(after: $after) "
                + "{ id } }", "records", "data.items", "endCursor", "data.cursor",
                "fields", Map.of("sourceId", "id", "latitude", "place.lat")));
        GraphQlSourceMapping mapping = GraphQlSourceMapping.of(good);
        assertThat(mapping.cursorVariable()).isEqualTo("after");
        assertThat(mapping.pageSizeVariable()).isNull();
        assertThat(GraphQlSourceMapping.describesSource(good)).isTrue();
        assertThat(GraphQlSourceMapping.describesSource(Map.of())).isFalse();
        // GraphQL's null is a value a variable may be given.
        Map<String, Object> nullVariable = new HashMap<>(good);
        Map<String, Object> variables = new HashMap<>();
        variables.put("region", null);
        nullVariable.put("variables", variables);
        assertThat(GraphQlSourceMapping.of(nullVariable).variables()).containsEntry("region", null);
        for (Object[] bad : new Object[][] {{"records", "items", "mapping.records: a path into the answer starts at data"},
                {"hasNextPage", 3, "mapping.hasNextPage: must be a path"},
                {"pageSize", 5000, "mapping.pageSize: must be a whole number from 1 to 1000"},
                {"cursorVariable", "$after", "mapping.cursorVariable: must be a GraphQL variable name"},
                {"fields", Map.of("latitude", "place[].lat"), "mapping.fields.latitude: "},
                {"fields", Map.of("colour", "hue"), "mapping.fields.colour: not a program field"},
                {"defaults", Map.of("status", "RETIRED"), "mapping.defaults.status"},
                {"variables", Map.of("after", "x"), "mapping.variables.after: is set by paging"},
                {"delimiter", ";", "mapping.delimiter: unknown key for a GraphQL source"}}) {
            Map<String, Object> mapped = new HashMap<>(good);
            mapped.put((String) bad[0], bad[1]);
            assertThatThrownBy(() -> GraphQlSourceMapping.of(mapped)).as("%s", bad[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith((String) bad[2]);
        }
    }
}
