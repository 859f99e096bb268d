package io.stanee.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Durable state of a STAN server. {@link #apply} is the only write: one call, one transaction, so that a batch
 * of publishes, acks and subscription changes commits together (group commit) before any reply is sent.
 */
public interface Store {

    /**
     * Checks that the database holds the schema this store reads, before anything else is asked of it: throws
     * {@link IncompatibleStoreException} (retrying cannot help: the DBA must act) or {@link StoreException} (not
     * reachable now). Returns the cap of the column that holds a stored message when it is below what a NATS
     * message can carry (a MySQL BLOB of the Go script), else null.
     */
    StoredMessageLimit checkSchema();

    /** Reads everything a server needs to resume; an empty state on a new database. */
    RecoveredState recover();

    /** Persists every operation of the batch atomically, in order. Throws {@link StoreException} on failure. */
    void apply(StoreBatch batch);

    /**
     * One round of removing a channel marked deleted, in its own transaction: the pending rows of up to 1000
     * subscriptions, else up to 1000 messages, else its subscriptions and the channel row itself. Returns true
     * once nothing of the channel is left.
     */
    boolean purgeDeletedChannel(int channelId);

    /** Up to {@code max} stored messages of a channel, from sequence {@code fromSeq} upwards, in order. */
    List<StoredMessage> messages(int channelId, long fromSeq, int max);

    /** Sequence and size of up to {@code max} stored messages of a channel from {@code fromSeq}, in order. */
    List<MessageSize> messageSizes(int channelId, long fromSeq, int max);

    /**
     * Count and size of the stored messages of each range, in the order of the ranges, read in the background and
     * one range after another: it is the one read of a restart that grows with the channels' sizes, so the
     * server starts without waiting for it; and it takes one container thread, not one per channel, so that the
     * counts of a thousand recovered channels do not hold up the HTTP requests (/health, /metrics) that Liberty
     * serves from the same threads.
     */
    Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges);

    /** Whether the channel's row is stored (a batch that failed on this side may have been committed). */
    boolean channelStored(int channelId);

    /** The highest sequence stored for a channel, or 0 if it has no message. */
    long lastSequence(int channelId);

    /** Count, highest sequence and total size of a channel's messages stamped at or before {@code timestamp}. */
    MessagesUpTo messagesUpTo(int channelId, long timestamp);

    /** The lowest sequence of a channel whose timestamp is at or after {@code timestamp}, or 0 if none. */
    long firstSequenceAtOrAfter(int channelId, long timestamp);

    /**
     * One attempt at the fault-tolerance lock, in a transaction of its own (the Go SQL store's
     * {@code acquireDBLock}): takes the StoreLock row if it is absent, free, already this owner's or
     * {@code steal} is set, and raises its tick; otherwise leaves it and reports who holds it.
     */
    LockAttempt acquireLock(String lockId, boolean steal);

    /** Frees the lock if {@code lockId} holds it (a clean shutdown lets a standby take over at once). */
    void releaseLock(String lockId);

    /**
     * Whether the database answers now, found out in the background (on a thread of the container's, so that a
     * hanging database does not hold the caller): the probe a server runs while its database is out of reach,
     * to resume by itself. A store without a database of its own is always reachable.
     */
    default Future<Boolean> reachable() {
        return CompletableFuture.completedFuture(true);
    }
}
