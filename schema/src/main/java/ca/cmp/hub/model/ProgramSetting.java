package ca.cmp.hub.model;

/** Where the mentoring happens. */
public enum ProgramSetting {
    COMMUNITY, SCHOOL, WORKPLACE, ONLINE
}
