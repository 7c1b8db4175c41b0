package ca.cmp.hub.security;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <p>What callers chose (a target's id, a detail quoting their input) is capped at {@value #MAX_TEXT} characters
 * and its control characters escaped, in the log and the audit row alike: an id of a megabyte must not write a
 * megabyte, and an id with a newline must not forge a log line. Anonymous refusals cost an outsider nothing to
 * repeat, so at most {@value #ANONYMOUS_PER_MINUTE} a minute (per instance) are written one by one; the rest of
 * that minute are counted and written as one summary row when the next anonymous refusal comes.
 */
@Component
public class AccessAudit {

    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);

    /** What became of an audited attempt. */
    public enum Outcome { SUCCEEDED, REFUSED, INVALID }

    static final int MAX_TEXT = 200;
    static final int ANONYMOUS_PER_MINUTE = 60;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate own;
    private final Clock clock;
    private final Object window = new Object();
    private long windowMinute = -1;
    private int writtenInWindow;
    private final AtomicLong unwritten = new AtomicLong();

    AccessAudit(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = Clock.systemUTC();
    }

    /** A refusal; the partnership is read off a {@code partnership:<slug>} target. */
    public void refused(CurrentCaller caller, String action, String target, String detail) {
        refused(caller, action, target, partnershipOf(target), detail);
    }

    public void refused(CurrentCaller caller, String action, String target, String partnership, String detail) {
        if (caller.isAnonymous() && !admitAnonymous()) {
            unwritten.incrementAndGet();
            return;
        }
        long skipped = caller.isAnonymous() ? unwritten.getAndSet(0) : 0;
        log.warn("Refused {} on {} for {} (roles {}, partnership {}): {}", safe(action), safe(target),
                caller.isAnonymous() ? "anonymous" : safe(caller.subject()), caller.roles(),
                safe(caller.partnership()), safe(detail));
        own.executeWithoutResult(s -> {
            if (skipped > 0) {
                log.warn("{} further anonymous refusals were not recorded one by one (at most {} a minute)",
                        skipped, ANONYMOUS_PER_MINUTE);
                insert(CurrentCaller.ANONYMOUS, "anonymous refusals", null, null, Outcome.REFUSED, skipped
                        + " anonymous refusals not recorded one by one (over " + ANONYMOUS_PER_MINUTE + " a minute)");
            }
            insert(caller, action, target, partnership, Outcome.REFUSED, detail);
        });
    }

    /** Input that could not be used: recorded on its own, since the request changes nothing. */
    public void invalid(CurrentCaller caller, String action, String target, String partnership, String detail) {
        own.executeWithoutResult(s -> insert(caller, action, target, partnership, Outcome.INVALID, detail));
    }

    /** A change made: call inside the transaction that makes it. */
    public void succeeded(CurrentCaller caller, String action, String target, String partnership, String detail) {
        insert(caller, action, target, partnership, Outcome.SUCCEEDED, detail);
    }

    /**
     * An act done: an administrative step worth a trail (creating, rotating or revoking a client, …), in the
     * caller's transaction; recorded as SUCCEEDED, the partnership read off a {@code partnership:<slug>} target.
     */
    public void done(CurrentCaller caller, String action, String target, String detail) {
        log.info("{} did {} on {}: {}", caller.isAnonymous() ? "anonymous" : safe(caller.subject()), safe(action),
                safe(target), safe(detail));
        insert(caller, action, target, partnershipOf(target), Outcome.SUCCEEDED, detail);
    }

    private void insert(CurrentCaller caller, String action, String target, String partnership, Outcome outcome,
            String detail) {
        jdbc.update("""
                INSERT INTO audit_event (subject, roles, action, target, partnership, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", safe(caller.subject()), caller.roles().toString(), safe(action),
                safe(target), safe(partnership), outcome.name(), safe(detail));
    }

    private static String partnershipOf(String target) {
        return target != null && target.startsWith("partnership:") ? target.substring("partnership:".length())
                : null;
    }

    private boolean admitAnonymous() {
        long minute = clock.millis() / 60_000;
        synchronized (window) {
            if (minute != windowMinute) {
                windowMinute = minute;
                writtenInWindow = 0;
            }
            return ++writtenInWindow <= ANONYMOUS_PER_MINUTE;
        }
    }

    /** At most {@value #MAX_TEXT} characters, control characters (newlines included) escaped as \\uXXXX. */
    static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT) + 16);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_TEXT) {
                return out.append("… (").append(text.length()).append(" characters)").toString();
            }
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
