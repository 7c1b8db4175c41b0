package ca.cmp.hub.model;

/** Whether mentees must travel to a site ({@code IN_PERSON}), need only a connection ({@code VIRTUAL}), or either. */
public enum DeliveryMode {
    IN_PERSON, VIRTUAL, HYBRID
}
