package ca.cmp.hub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail: refused writes (who tried what on whose records), kept even when the request's work rolls
 * back, and the administration's acts (clients created, rotated, revoked; partnerships created, changed, retired;
 * requests to join and their decisions; connectors disabled or deleted), which are written with the change they
 * record, so a change that rolls back leaves no success behind. Administrators read it through
 * {@code auditEvents}.
 */
@Component
public class AccessAudit {

    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);

    /** What became of an audited attempt. */
    public enum Outcome { SUCCEEDED, REFUSED, INVALID }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate own;

    AccessAudit(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A refusal; the partnership is read off a {@code partnership:<slug>} target. */
    public void refused(CurrentCaller caller, String action, String target, String detail) {
        refused(caller, action, target, target != null && target.startsWith("partnership:")
                ? target.substring("partnership:".length()) : null, detail);
    }

    public void refused(CurrentCaller caller, String action, String target, String partnership, String detail) {
        log.warn("Refused {} on {} for {} (roles {}, partnership {}): {}", action, target,
                caller.isAnonymous() ? "anonymous" : caller.subject(), caller.roles(), caller.partnership(), detail);
        own.executeWithoutResult(s -> insert(caller, action, target, partnership, Outcome.REFUSED, detail));
    }

    /** Input that could not be used: recorded on its own, since the request changes nothing. */
    public void invalid(CurrentCaller caller, String action, String target, String partnership, String detail) {
        own.executeWithoutResult(s -> insert(caller, action, target, partnership, Outcome.INVALID, detail));
    }

    /** A change made: call inside the transaction that makes it. */
    public void succeeded(CurrentCaller caller, String action, String target, String partnership, String detail) {
        insert(caller, action, target, partnership, Outcome.SUCCEEDED, detail);
    }

    private void insert(CurrentCaller caller, String action, String target, String partnership, Outcome outcome,
            String detail) {
        jdbc.update("""
                INSERT INTO audit_event (subject, roles, action, target, partnership, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", caller.subject(), caller.roles().toString(), action, target,
                partnership, outcome.name(), detail);
    }

    /**
     * An act done: an administrative step worth a trail (creating, rotating or revoking a client, …), in the
     * caller's transaction; recorded as SUCCEEDED, the partnership read off a {@code partnership:<slug>} target.
     */
    public void done(CurrentCaller caller, String action, String target, String detail) {
        log.info("{} did {} on {}: {}", caller.isAnonymous() ? "anonymous" : caller.subject(), action, target, detail);
        insert(caller, action, target, target != null && target.startsWith("partnership:")
                ? target.substring("partnership:".length()) : null, Outcome.SUCCEEDED, detail);
    }
}
