package io.stanee.core;

import io.stanee.store.LockAttempt;
import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreConnectionLost;
import io.stanee.store.StoreFailures;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.StoredRange;

import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The store as the core's handlers see it: while the database is known to be out of reach ({@link StoreOutage}),
 * every read and write of a request is refused at once instead of waiting for the database's timeout; and a read
 * whose connection broke is reported as {@link StoreConnectionLost}, since a read writes nothing and may be done
 * again on a fresh connection (the store reports a broken write itself, only when nothing was committed).
 * Recovery, the FT lock and the background count pass through: they have their own retries.
 */
final class GuardedStore implements Store {

    private final Store store;
    private final StoreOutage outage;

    GuardedStore(Store store, StoreOutage outage) {
        this.store = store;
        this.outage = outage;
    }

    @Override
    public void apply(StoreBatch batch) {
        refuseIfDown();
        store.apply(batch);
    }

    private void refuseIfDown() {
        if (outage.down()) {
            throw outage.refusal();
        }
    }

    private <T> T read(Supplier<T> read) {
        refuseIfDown();
        try {
            return read.get();
        } catch (StoreConnectionLost e) {
            throw e;
        } catch (RuntimeException e) {
            if (StoreFailures.connectionLost(e)) {
                throw new StoreConnectionLost(e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public StoredMessageLimit checkSchema() {
        return store.checkSchema();
    }

    @Override
    public RecoveredState recover() {
        return store.recover();
    }

    @Override
    public boolean purgeDeletedChannel(int channelId) {
        refuseIfDown();
        return store.purgeDeletedChannel(channelId);
    }

    @Override
    public List<StoredMessage> messages(int channelId, long fromSeq, int max) {
        return read(() -> store.messages(channelId, fromSeq, max));
    }

    @Override
    public List<MessageSize> messageSizes(int channelId, long fromSeq, int max) {
        return read(() -> store.messageSizes(channelId, fromSeq, max));
    }

    @Override
    public Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges) {
        return store.messageTotals(ranges);
    }

    @Override
    public boolean channelStored(int channelId) {
        return read(() -> store.channelStored(channelId));
    }

    @Override
    public long lastSequence(int channelId) {
        return read(() -> store.lastSequence(channelId));
    }

    @Override
    public MessagesUpTo messagesUpTo(int channelId, long timestamp) {
        return read(() -> store.messagesUpTo(channelId, timestamp));
    }

    @Override
    public long firstSequenceAtOrAfter(int channelId, long timestamp) {
        return read(() -> store.firstSequenceAtOrAfter(channelId, timestamp));
    }

    @Override
    public LockAttempt acquireLock(String lockId, boolean steal) {
        return store.acquireLock(lockId, steal);
    }

    @Override
    public void releaseLock(String lockId) {
        store.releaseLock(lockId);
    }

    @Override
    public Future<Boolean> reachable() {
        return store.reachable();
    }
}
