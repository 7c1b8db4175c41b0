package ca.cmp.hub.sync;

/**
 * A record that was not written, and why: its position in the batch or file, its id in the source when known,
 * the path of the offending field and the reason, e.g. {@code programs[3].sites[0].latitude: 91.2 is not a
 * latitude}.
 */
public record Rejection(int position, String sourceId, String field, String reason) {
}
