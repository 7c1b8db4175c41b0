package ca.cmp.hub.security;

/**
 * The SDL's one {@code NotAllowed}: how every operation's payload union answers a caller that may not do it. Only
 * {@link Gate} makes them, so that every refusal is also audited.
 */
public record NotAllowed(String message) {
}
