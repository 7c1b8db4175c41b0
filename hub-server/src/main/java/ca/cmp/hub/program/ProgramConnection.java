package ca.cmp.hub.program;

import java.util.List;

/** A page of programs (Relay connection). The criteria stay with it so {@code totalCount} is counted on demand. */
record ProgramConnection(List<Edge> edges, PageInfo pageInfo, ProgramCriteria criteria) {

    record Edge(String cursor, ProgramRow node, Double distanceKm) {
    }

    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }
}
