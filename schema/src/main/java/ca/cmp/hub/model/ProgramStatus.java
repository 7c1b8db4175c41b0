package ca.cmp.hub.model;

/**
 * Life-cycle of a published program. {@code RETIRED} is set by the hub, never by a partner: the program vanished
 * from a full snapshot of its source, and is kept (not deleted) so its history stays queryable.
 */
public enum ProgramStatus {
    ACTIVE, PAUSED, CLOSED, RETIRED
}
