package io.stanee.store.jpa;

import io.stanee.store.LockAttempt;
import io.stanee.store.StoreLockLostException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fault-tolerance lock on the StoreLock table, with the Go SQL store's statements, so that Go servers and
 * stan-ee instances of one FT group see the same lock. Runs on the caller's (transactional) connection.
 *
 * <p>The one addition is {@link #requireOwner}: the Go server trusts its lock refresh alone; stan-ee also checks
 * the owner inside every batch's transaction, holding a shared lock on the row until the commit, so that a
 * server whose lock was stolen (a database that hung for it alone, a pause longer than the lost count) fails
 * its next batch instead of writing beside the new owner. A steal waits for the batch in flight to end.
 */
final class StoreLockSql {

    /** How long a lock statement may take: a refresh must not hang longer than the interval it guards. */
    private static final int TIMEOUT_SECONDS = 2;

    private StoreLockSql() {
    }

    /** The Go store's acquireDBLock on the given connection (the caller commits). */
    static LockAttempt acquire(Connection connection, String lockId, boolean steal) throws SQLException {
        String ownerId = "";
        long tick = 0;
        boolean present;
        try (PreparedStatement select = connection.prepareStatement(Statements.LOCK_SELECT)) {
            select.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet row = select.executeQuery()) {
                present = row.next();
                if (present) {
                    ownerId = row.getString(1) == null ? "" : row.getString(1);
                    tick = row.getLong(2);
                }
            }
        }
        if (present && !steal && !ownerId.isEmpty() && !ownerId.equals(lockId)) {
            return new LockAttempt(false, ownerId, tick);
        }
        try (PreparedStatement write = connection.prepareStatement(present ? Statements.LOCK_UPDATE : Statements.LOCK_INSERT)) {
            write.setQueryTimeout(TIMEOUT_SECONDS);
            write.setString(1, lockId);
            write.setLong(2, (steal ? 0 : tick) + 1); // a steal restarts the tick, as in Go
            write.executeUpdate();
        }
        return new LockAttempt(true, ownerId, tick);
    }

    static void release(Connection connection, String lockId) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement(Statements.LOCK_RELEASE)) {
            release.setQueryTimeout(TIMEOUT_SECONDS);
            release.setString(1, lockId);
            release.executeUpdate();
        }
    }

    /** Fails unless {@code lockId} owns the lock, and keeps the row share-locked until the transaction ends. */
    static void requireOwner(Connection connection, SchemaGuard.Dialect dialect, String lockId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(Statements.lockOwnerShared(dialect))) {
            select.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet row = select.executeQuery()) {
                String owner = row.next() ? row.getString(1) : null;
                if (!lockId.equals(owner)) {
                    throw new StoreLockLostException("ft: the store lock is held by "
                            + (owner == null || owner.isEmpty() ? "nobody" : "\"" + owner + "\"")
                            + ", not by this server: nothing written");
                }
            }
        }
    }
}
