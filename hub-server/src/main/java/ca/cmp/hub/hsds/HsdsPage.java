package ca.cmp.hub.hsds;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A page of an HSDS API listing, as the API reference's {@code Page} has it. Pages are numbered from 1;
 * a listing of no items has 0 pages, and any page past the last is empty (and the last).
 */
@JsonPropertyOrder({"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
        "contents"})
record HsdsPage(@JsonProperty("total_items") long totalItems, @JsonProperty("total_pages") long totalPages,
        @JsonProperty("page_number") int pageNumber, int size, @JsonProperty("first_page") boolean firstPage,
        @JsonProperty("last_page") boolean lastPage, boolean empty, List<?> contents) {

    static HsdsPage of(long totalItems, Paging paging, List<?> contents) {
        long totalPages = (totalItems + paging.perPage() - 1) / paging.perPage();
        return new HsdsPage(totalItems, totalPages, paging.page(), contents.size(), paging.page() == 1,
                paging.page() >= totalPages, contents.isEmpty(), contents);
    }

    /**
     * Which page is asked for.
     *
     * @param page    from 1
     * @param perPage from 1 to {@link #MAX_PER_PAGE}
     */
    record Paging(int page, int perPage) {

        static final int DEFAULT_PER_PAGE = 50;
        static final int MAX_PER_PAGE = 100;

        /** From the query's {@code page} and {@code per_page} (null: 1 and 50); more than 100 per page is 100. */
        static Paging of(Integer page, Integer perPage) {
            int p = page == null ? 1 : page;
            int n = perPage == null ? DEFAULT_PER_PAGE : perPage;
            if (p < 1) {
                throw new HsdsRequestException("page", "must be 1 or more, got " + p);
            }
            if (n < 1) {
                throw new HsdsRequestException("per_page", "must be 1 or more, got " + n);
            }
            return new Paging(p, Math.min(n, MAX_PER_PAGE));
        }

        long offset() {
            return (long) (page - 1) * perPage;
        }
    }
}
