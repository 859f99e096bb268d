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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A store that fails when told to, around a working one (the role of the Go server's
 * server_storefailures_test.go): the n-th {@link #apply} from now, the batches that match a condition, the n-th
 * read of messages, or a commit that was made but reported as failed (a timeout during COMMIT). A failure is a
 * {@link StoreException} with the given message, as the database's error reaches the core.
 */
final class FailingStore implements Store {

    private final Store store;
    private final Set<Integer> failingApplies = new HashSet<>();
    private final Set<Integer> failingReads = new HashSet<>();
    private Predicate<StoreBatch> failingBatches = batch -> false;
    private boolean writeBeforeFailing;
    private String error = "disk I/O error";
    /** How a failure reaches the core: a plain store error by default (a batch the database refused). */
    private java.util.function.Function<String, RuntimeException> failure = StoreException::new;
    private boolean reachable = true;
    private int probes;
    private int applies;
    private int reads;
    private int failingCounts;
    private final List<List<StoredRange>> countRequests = new ArrayList<>();

    FailingStore(Store store) {
        this.store = store;
    }

    /** The next {@code n} requests to count recovered messages fail, as the background read reports it. */
    FailingStore failCounts(String error, int n) {
        this.error = error;
        this.failingCounts = n;
        return this;
    }

    /** Every request to count recovered messages so far, with its ranges. */
    List<List<StoredRange>> countRequests() {
        return countRequests;
    }

    /** The given applies from now fail, writing nothing (1 = the next one). */
    FailingStore failApplies(String error, int... nth) {
        this.error = error;
        for (int n : nth) {
            failingApplies.add(applies + n);
        }
        return this;
    }

    /** Every batch the condition matches fails, writing nothing, until {@link #heal}. */
    FailingStore failBatches(String error, Predicate<StoreBatch> condition) {
        this.error = error;
        this.failingBatches = condition;
        return this;
    }

    /** The given reads of messages from now fail (1 = the next one): pages, sizes, the last sequence, expiry. */
    FailingStore failReads(String error, int... nth) {
        this.error = error;
        for (int n : nth) {
            failingReads.add(reads + n);
        }
        return this;
    }

    /** The failing applies write their batch before they fail: committed, but reported as failed. */
    FailingStore afterWriting() {
        this.writeBeforeFailing = true;
        return this;
    }

    /** The failures are a connection that broke before the commit (e.g. the first use after a restart). */
    FailingStore asLostConnection() {
        failure = message -> new io.stanee.store.StoreConnectionLost(message,
                new java.sql.SQLException(message, "57P01"));
        return this;
    }

    /**
     * The failures are a connection that broke at the commit (the container's exception, caused by the driver's
     * 57P01): whether the commit was made is unknown to the caller.
     */
    FailingStore asLostConnectionAtCommit() {
        failure = message -> new IllegalStateException("jakarta.transaction.HeuristicMixedException",
                new java.sql.SQLException(message, "57P01"));
        return this;
    }

    /** The failures are a statement that timed out on a hanging database. */
    FailingStore asTimeout() {
        failure = message -> new StoreException(message, new java.sql.SQLTimeoutException(message, "57014"));
        return this;
    }

    /** What the background probe of the database answers from now on. */
    FailingStore reachable(boolean answers) {
        this.reachable = answers;
        return this;
    }

    /** How many times the database was probed. */
    int probes() {
        return probes;
    }

    @Override
    public Future<Boolean> reachable() {
        probes++;
        return java.util.concurrent.CompletableFuture.completedFuture(reachable);
    }

    void heal() {
        failingApplies.clear();
        failingReads.clear();
        failingBatches = batch -> false;
        writeBeforeFailing = false;
    }

    /** How many times {@link #apply} was called, failed ones included. */
    int applies() {
        return applies;
    }

    @Override
    public void apply(StoreBatch batch) {
        applies++;
        boolean fail = failingApplies.remove(applies) || failingBatches.test(batch);
        if (fail && !writeBeforeFailing) {
            throw failure.apply(error);
        }
        store.apply(batch);
        if (fail) {
            throw failure.apply(error);
        }
    }

    private <T> T read(Supplier<T> read) {
        reads++;
        if (failingReads.remove(reads)) {
            throw failure.apply(error);
        }
        return read.get();
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
        countRequests.add(List.copyOf(ranges));
        if (failingCounts > 0) {
            failingCounts--;
            return CompletableFuture.failedFuture(failure.apply(error));
        }
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
}
