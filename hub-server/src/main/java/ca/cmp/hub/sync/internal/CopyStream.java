package ca.cmp.hub.sync.internal;

import java.sql.SQLException;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * One open {@code COPY … FROM STDIN}, whatever its format: chunks written as the caller encodes them, then ended.
 * Any failure abandons the COPY before it is rethrown, so the connection is left usable for the rollback.
 */
public final class CopyStream {

    private final CopyIn copy;

    public CopyStream(CopyManager manager, String sql) throws SQLException {
        this.copy = manager.copyIn(sql);
    }

    public void write(byte[] bytes, int length) throws SQLException {
        if (length == 0) {
            return;
        }
        try {
            copy.writeToCopy(bytes, 0, length);
        } catch (SQLException | RuntimeException e) {
            cancel();
            throw e;
        }
    }

    /** Ends the COPY; the number of rows PostgreSQL wrote. */
    public long finish() throws SQLException {
        try {
            return copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancel();
            throw e;
        }
    }

    /** Abandons the COPY (the transaction is failing anyway); never throws. */
    public void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The statement is failing already; the caller's exception says why.
        }
    }
}
