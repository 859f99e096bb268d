package io.stanee.store.jpa;

/**
 * Every statement the SQL store runs, in one place (the role of the Go SQL store's {@code sqlStmts} table): the
 * JPQL on the entities, which EclipseLink writes for each database, and the native SQL on the Go tables, where
 * the databases differ only as {@link SchemaGuard.Dialect} says (the quoting of the column {@code row}, the
 * shared-lock clause).
 */
final class Statements {

    private Statements() {
    }

    // ---- JPQL ------------------------------------------------------------------------------------------------

    /** Recovery: every client. */
    static final String ALL_CLIENTS =
            "SELECT c FROM ClientRow c";

    /** Recovery: the channels not marked deleted. */
    static final String LIVE_CHANNELS =
            "SELECT c FROM ChannelRow c WHERE c.deleted = FALSE ORDER BY c.id";

    /** Recovery: the next subscription ID follows it. */
    static final String MAX_SUBSCRIPTION_ID =
            "SELECT MAX(s.subId) FROM SubscriptionRow s";

    /** Recovery: the next channel ID follows it. */
    static final String MAX_CHANNEL_ID =
            "SELECT MAX(c.id) FROM ChannelRow c";

    /** Recovery: channels still to purge. */
    static final String DELETED_CHANNEL_IDS =
            "SELECT c.id FROM ChannelRow c WHERE c.deleted = TRUE ORDER BY c.id";

    /**
     * Recovery: every channel's first and last stored sequence, each from the primary key's index (native SQL: one
     * query for all channels instead of a round trip each; deleted channels come too and are ignored).
     */
    static final String MESSAGE_RANGES = "SELECT c.id, (SELECT MIN(m.seq) FROM Messages m WHERE m.id = c.id), "
            + "(SELECT MAX(m.seq) FROM Messages m WHERE m.id = c.id) FROM Channels c";

    /** Recovery: every channel's subscriptions, in one query. */
    static final String LIVE_SUBSCRIPTIONS =
            "SELECT s FROM SubscriptionRow s WHERE s.deleted = FALSE ORDER BY s.channelId, s.subId";

    /** Recovery: every subscription's SubsPending rows, in order, in one query. */
    static final String PENDING_ROWS =
            "SELECT p FROM PendingRow p ORDER BY p.subId, p.row";

    /** Purge: subscriptions of a deleted channel that still have pending rows. */
    static final String PURGE_PENDING_SUBSCRIPTIONS =
            "SELECT DISTINCT p.subId FROM PendingRow p, SubscriptionRow s WHERE s.channelId = :c AND "
            + "s.subId = p.subId";

    /** Purge: their pending rows. */
    static final String PURGE_PENDING =
            "DELETE FROM PendingRow p WHERE p.subId IN :subs";

    /** Purge: the next round of a deleted channel's messages. */
    static final String PURGE_LOWEST_SEQUENCES =
            "SELECT m.seq FROM MessageRow m WHERE m.channelId = :c ORDER BY m.seq";

    /** Limits and purge: a channel's messages up to a sequence. */
    static final String DELETE_MESSAGES_THROUGH =
            "DELETE FROM MessageRow m WHERE m.channelId = :c AND m.seq <= :s";

    /** Purge: a deleted channel's subscriptions. */
    static final String PURGE_SUBSCRIPTIONS =
            "DELETE FROM SubscriptionRow s WHERE s.channelId = :c";

    /** Purge: the deleted channel's row, last. */
    static final String PURGE_CHANNEL =
            "DELETE FROM ChannelRow c WHERE c.id = :c AND c.deleted = TRUE";

    /** Delivery: stored messages from a sequence. */
    static final String MESSAGES_FROM =
            "SELECT m FROM MessageRow m WHERE m.channelId = :c AND m.seq >= :s ORDER BY m.seq";

    /** Limits: sizes from a sequence. */
    static final String MESSAGE_SIZES_FROM =
            "SELECT m.seq, m.byteSize FROM MessageRow m WHERE m.channelId = :c AND m.seq >= :s ORDER BY "
            + "m.seq";

    /** After an uncertain commit: the last stored sequence. */
    static final String LAST_SEQUENCE =
            "SELECT MAX(m.seq) FROM MessageRow m WHERE m.channelId = :c";

    /** After a restart: count and size of a recovered range. */
    static final String MESSAGE_TOTALS =
            "SELECT COUNT(m), SUM(m.byteSize) FROM MessageRow m WHERE m.channelId = :c AND m.seq "
            + "BETWEEN :first AND :last";

    /** Max_age: what is older than the limit. */
    static final String MESSAGES_UP_TO =
            "SELECT COUNT(m), MAX(m.seq), SUM(m.byteSize) FROM MessageRow m WHERE m.channelId = :c AND "
            + "m.timestampNanos <= :t";

    /** Start at a time: the first message stamped then or later. */
    static final String FIRST_SEQUENCE_AT_OR_AFTER =
            "SELECT MIN(m.seq) FROM MessageRow m WHERE m.channelId = :c AND m.timestampNanos >= :t";

    /** No-caching acks and pending replacement: a subscription's last sent. */
    static final String UPDATE_LAST_SENT =
            "UPDATE SubscriptionRow s SET s.lastSent = :seq WHERE s.channelId = :c AND s.subId = :sub";

    /** A client's row (also before one is added again, as the Go store does). */
    static final String DELETE_CLIENT =
            "DELETE FROM ClientRow c WHERE c.id = :id";

    /** An emptied channel keeps its last sequence. */
    static final String REMEMBER_LAST_SEQUENCE =
            "UPDATE ChannelRow c SET c.maxSeq = :s WHERE c.id = :c";

    /** A channel deleted for inactivity, purged in the background. */
    static final String MARK_CHANNEL_DELETED =
            "UPDATE ChannelRow c SET c.deleted = TRUE WHERE c.id = :c";

    /** A subscription's pending rows. */
    static final String DELETE_PENDING =
            "DELETE FROM PendingRow p WHERE p.subId = :sub";

    /** A subscription's SubState. */
    static final String UPDATE_SUBSCRIPTION =
            "UPDATE SubscriptionRow s SET s.proto = :p WHERE s.channelId = :c AND s.subId = :sub";

    /** The highest subscription ID stays as a marker (the Go store's rule). */
    static final String MARK_SUBSCRIPTION_DELETED =
            "UPDATE SubscriptionRow s SET s.deleted = TRUE WHERE s.channelId = :c AND s.subId = :sub";

    /** A subscription's row. */
    static final String DELETE_SUBSCRIPTION =
            "DELETE FROM SubscriptionRow s WHERE s.channelId = :c AND s.subId = :sub";

    /** Acknowledged pending rows of a subscription, in one statement. */
    static final String DELETE_ACKED_PENDING =
            "DELETE FROM PendingRow p WHERE p.subId = :sub AND p.seq IN :seqs";

    // ---- native SQL (JDBC batches and single-row deletes, faster than their JPQL) ------------------------------

    /** A message row, appended by JDBC batch (RowInserts). */
    static final String INSERT_MESSAGE = "INSERT INTO Messages (id, seq, timestamp, size, data) VALUES (?, ?, ?, ?, ?)";

    /** A no-caching pending row, appended by JDBC batch; {@code row} is a reserved word quoted per database. */
    static String insertPending(SchemaGuard.Dialect dialect) {
        return "INSERT INTO SubsPending (subid, " + dialect.quotedRow + ", seq) VALUES (?, ?, ?)";
    }

    /** Caching layout, by JDBC batch (PendingStates): a subscription's earlier rows go. */
    static final String DELETE_SUBSCRIPTION_PENDING = "DELETE FROM SubsPending WHERE subid = ?";

    /** Caching layout, by JDBC batch: the one row holding the pending sequences (seq 0, no acks, as Go's). */
    static String insertPendingState(SchemaGuard.Dialect dialect) {
        return "INSERT INTO SubsPending (subid, " + dialect.quotedRow + ", seq, lastsent, pending) VALUES (?, ?, 0, ?, ?)";
    }

    /** Caching layout, by JDBC batch: Subscriptions.lastsent follows the state row. */
    static final String SET_LAST_SENT = "UPDATE Subscriptions SET lastsent = ? WHERE id = ? AND subid = ?";

    /** One acknowledged pending row (Derby, by JDBC batch: its IN-list delete scanned every row). */
    static final String DELETE_ONE_PENDING = "DELETE FROM SubsPending WHERE subid = ? AND seq = ?";

    // ---- the fault-tolerance lock (StoreLockSql runs them in order) -------------------------------------------

    /** The Go store's sqlDBLockSelect: the one row, locked for the update that follows. */
    static final String LOCK_SELECT = "SELECT id, tick FROM StoreLock FOR UPDATE";
    /** The Go store's sqlDBLockInsert: the first owner of an empty table. */
    static final String LOCK_INSERT = "INSERT INTO StoreLock (id, tick) VALUES (?, ?)";
    /** The Go store's sqlDBLockUpdate: a new owner or a refreshed tick. */
    static final String LOCK_UPDATE = "UPDATE StoreLock SET id=?, tick=?";
    /** stan-ee's release: only the owner frees the row (the Go store sets it to "" and 0 when it owned it). */
    static final String LOCK_RELEASE = "UPDATE StoreLock SET id='', tick=0 WHERE id=?";

    /** stan-ee's fencing: the lock's owner, read under a shared lock held to the end of the batch's transaction. */
    static String lockOwnerShared(SchemaGuard.Dialect dialect) {
        return "SELECT id FROM StoreLock" + dialect.shareLock;
    }

    // ---- the schema check -----------------------------------------------------------------------------------

    /** Whether a table has these columns: reads no row, fails if one is missing. */
    static String probeTable(String table, String columns) {
        return "SELECT " + columns + " FROM " + table + " WHERE 1 = 0";
    }

    /** MySQL/MariaDB: the type and size of the column that holds a stored message. */
    static final String MYSQL_MESSAGE_COLUMN =
            "SELECT DATA_TYPE, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS "
            + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Messages' AND COLUMN_NAME = 'data'";
}
