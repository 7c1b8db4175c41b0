package ca.cmp.hub.duplicate;

/** CANDIDATE: proposed, undecided. CONFIRMED: one program published twice or more. DISMISSED: different programs. */
enum DuplicateStatus { CANDIDATE, CONFIRMED, DISMISSED }
