package ca.cmp.hub.connectors;

/** Where the mentoring happens. */
public enum ProgramSetting {
    COMMUNITY, SCHOOL, WORKPLACE, ONLINE
}
