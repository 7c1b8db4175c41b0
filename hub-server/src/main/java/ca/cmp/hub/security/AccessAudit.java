package ca.cmp.hub.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records who did or tried what on whose records: refusals (kept even when the request's work rolls back) and the
 * administration's acts (clients, partnerships).
 */
@Component
public class AccessAudit {

    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate own;

    AccessAudit(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public void refused(CurrentCaller caller, String action, String target, String detail) {
        log.warn("Refused {} on {} for {} (roles {}, partnership {}): {}", action, target,
                caller.isAnonymous() ? "anonymous" : caller.subject(), caller.roles(), caller.partnership(), detail);
        own.executeWithoutResult(s -> jdbc.update("""
                INSERT INTO audit_event (subject, roles, action, target, outcome, detail)
                VALUES (?, ?, ?, ?, 'REFUSED', ?)""", caller.subject(), caller.roles().toString(), action, target,
                detail));
    }

    /** An act done: an administrative step worth a trail (creating, rotating or revoking a client, …). */
    public void done(CurrentCaller caller, String action, String target, String detail) {
        log.info("{} did {} on {}: {}", caller.isAnonymous() ? "anonymous" : caller.subject(), action, target, detail);
        jdbc.update("""
                INSERT INTO audit_event (subject, roles, action, target, outcome, detail)
                VALUES (?, ?, ?, ?, 'DONE', ?)""", caller.subject(), caller.roles().toString(), action, target, detail);
    }
}
