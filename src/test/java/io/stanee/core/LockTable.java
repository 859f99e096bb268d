package io.stanee.core;

import io.stanee.store.MessageSize;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.LockAttempt;
import io.stanee.store.MessageTotals;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreException;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;

import java.util.List;
import java.util.concurrent.Future;

/**
 * The StoreLock row alone, in memory, with the Go store's rules (what JpaStoreContract checks on the real
 * databases): for the lock keeper's timing tests. It can be made to fail like an unreachable database.
 */
final class LockTable implements Store {

    String owner;
    long tick;
    boolean unreachable;

    @Override
    public LockAttempt acquireLock(String lockId, boolean steal) {
        if (unreachable) {
            throw new StoreException("connection refused");
        }
        LockAttempt seen = new LockAttempt(false, owner == null ? "" : owner, tick);
        if (owner != null && !owner.isEmpty() && !owner.equals(lockId) && !steal) {
            return seen;
        }
        tick = (steal ? 0 : tick) + 1;
        owner = lockId;
        return new LockAttempt(true, seen.ownerId(), seen.tick());
    }

    @Override
    public void releaseLock(String lockId) {
        if (lockId.equals(owner)) {
            owner = "";
            tick = 0;
        }
    }

    @Override
    public StoredMessageLimit checkSchema() {
        return null;
    }

    @Override
    public RecoveredState recover() {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public void apply(StoreBatch batch) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public boolean purgeDeletedChannel(int channelId) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public List<StoredMessage> messages(int channelId, long fromSeq, int max) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public List<MessageSize> messageSizes(int channelId, long fromSeq, int max) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public boolean channelStored(int channelId) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public long lastSequence(int channelId) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public MessagesUpTo messagesUpTo(int channelId, long timestamp) {
        throw new UnsupportedOperationException("only the lock");
    }

    @Override
    public long firstSequenceAtOrAfter(int channelId, long timestamp) {
        throw new UnsupportedOperationException("only the lock");
    }
}
