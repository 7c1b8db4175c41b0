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
 * Records who did or tried what on whose records: refusals (kept even when the request's work rolls back) and the
 * administration's acts (clients, partnerships).
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

    public void refused(CurrentCaller caller, String action, String target, String detail) {
        String subject = caller.isAnonymous() ? null : safe(caller.subject());
        String safeAction = safe(action);
        String safeTarget = safe(target);
        String safeDetail = safe(detail);
        if (caller.isAnonymous() && !admitAnonymous()) {
            unwritten.incrementAndGet();
            return;
        }
        long skipped = caller.isAnonymous() ? unwritten.getAndSet(0) : 0;
        log.warn("Refused {} on {} for {} (roles {}, partnership {}): {}", safeAction, safeTarget,
                subject == null ? "anonymous" : subject, caller.roles(), safe(caller.partnership()), safeDetail);
        own.executeWithoutResult(s -> {
            if (skipped > 0) {
                log.warn("{} further anonymous refusals were not recorded one by one (at most {} a minute)",
                        skipped, ANONYMOUS_PER_MINUTE);
                jdbc.update("""
                        INSERT INTO audit_event (subject, roles, action, target, outcome, detail)
                        VALUES (NULL, '[]', 'anonymous refusals', NULL, 'REFUSED', ?)""",
                        skipped + " anonymous refusals not recorded one by one (over " + ANONYMOUS_PER_MINUTE
                                + " a minute)");
            }
            jdbc.update("""
                    INSERT INTO audit_event (subject, roles, action, target, outcome, detail)
                    VALUES (?, ?, ?, ?, 'REFUSED', ?)""", subject, caller.roles().toString(), safeAction, safeTarget,
                    safeDetail);
        });
    }

    /** An act done: an administrative step worth a trail (creating, rotating or revoking a client, …). */
    public void done(CurrentCaller caller, String action, String target, String detail) {
        String subject = caller.isAnonymous() ? null : safe(caller.subject());
        log.info("{} did {} on {}: {}", subject == null ? "anonymous" : subject, safe(action), safe(target),
                safe(detail));
        jdbc.update("""
                INSERT INTO audit_event (subject, roles, action, target, outcome, detail)
                VALUES (?, ?, ?, ?, 'DONE', ?)""", subject, caller.roles().toString(), safe(action), safe(target),
                safe(detail));
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
