package ca.cmp.hub.security;

/**
 * What a caller may do. Anonymous callers (no token) are the public: published programs without private contact
 * fields, and aggregate coverage figures under small-area protection.
 * <ul>
 * <li>{@code PARTNER}: publishes, changes and retires programs and runs syncs of its own partnership only (the
 * token's {@code partnership} claim names it);</li>
 * <li>{@code COORDINATOR}: manages its own partnership's API clients and connectors, and nothing else;</li>
 * <li>{@code FUNDER}: detailed analyses and exports;</li>
 * <li>{@code PLANNER}: everything analytical, plus connectors and scenarios;</li>
 * <li>{@code ADMIN}: partnerships and clients, and everything else.</li>
 * </ul>
 */
public enum Role {
    PARTNER, COORDINATOR, FUNDER, PLANNER, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
