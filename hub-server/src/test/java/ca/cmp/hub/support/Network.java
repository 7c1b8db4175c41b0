package ca.cmp.hub.support;

import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import ca.cmp.hub.census.CensusBundle;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.CensusImport;
import ca.cmp.hub.census.CensusLoader;
import ca.cmp.hub.ratelimit.ActionLimits;
import org.springframework.graphql.ExecutionGraphQlService;
import org.springframework.graphql.test.tester.ExecutionGraphQlServiceTester;
import org.springframework.graphql.test.tester.GraphQlTester;

/** What the network's tests share: the real census divisions, and callers that ask to join from an address. */
public final class Network {

    /** Alberta's 19 census divisions, 4801 to 4819 (2016 boundaries). */
    public static final java.util.List<String> ALBERTA_DIVISIONS = IntStream.rangeClosed(1, 19)
            .mapToObj(i -> String.format("48%02d", i)).toList();

    private Network() {
    }

    /** Loads the bundle's census divisions unless a test of this JVM did already. */
    public static synchronized void censusDivisions(CensusLoader loader, CensusDatasets datasets) {
        if (datasets.find("census-divisions").isPresent()) {
            return;
        }
        for (CensusImport layer : CensusBundle.layers(OpenData.dir())) {
            if (layer.datasetId().equals("census-divisions")) {
                loader.load(layer);
            }
        }
    }

    /** A tester whose requests come from {@code address}, as the HTTP layer hands it to the controllers. */
    public static GraphQlTester from(ExecutionGraphQlService service, String address) {
        return ExecutionGraphQlServiceTester.builder(service)
                .configureExecutionInput((input, builder) -> builder.graphQLContext(
                        Map.of(ActionLimits.CLIENT_ADDRESS, address)).build())
                .build();
    }

    /** A tester from an address no other request used (a documentation range, randomly). */
    public static GraphQlTester fromFreshAddress(ExecutionGraphQlService service) {
        UUID u = UUID.randomUUID();
        return from(service, "2001:db8::" + Long.toHexString(u.getMostSignificantBits() & 0xffff) + ":"
                + Long.toHexString(u.getLeastSignificantBits() & 0xffff) + ":" + Long.toHexString(System.nanoTime() & 0xffff));
    }

    /** A GeoJSON polygon: the lon/lat box, counter-clockwise. */
    public static Map<String, Object> box(double west, double south, double east, double north) {
        return Map.of("type", "Polygon", "coordinates", java.util.List.of(java.util.List.of(
                java.util.List.of(west, south), java.util.List.of(east, south), java.util.List.of(east, north),
                java.util.List.of(west, north), java.util.List.of(west, south))));
    }
}
