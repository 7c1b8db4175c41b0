package ca.cmp.hub.model;

/** How mentors and young people are matched, in the categories MENTOR Canada's program surveys use. */
public enum MentoringModel {
    ONE_TO_ONE, GROUP, PEER, E_MENTORING, TEAM
}
