package io.stanee.core;

import io.stanee.store.StoreOp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Persists what subscriptions have been sent and not yet acknowledged, in one of the Go SQL store's two modes.
 *
 * <p>With {@code no_caching} every send and ack writes its SubsPending row in the batch's transaction, so the
 * subscription state is committed before any reply. Without it (the default, as in the Go server) sends and
 * acks only mark the subscription dirty, and its state is written about once a second as one SubsPending row
 * in the caching layout (a JSON array of its pending sequences), replacing its earlier rows. Published
 * messages are committed before their PubAck either way; after a crash the caching mode may redeliver
 * messages acknowledged in the last second, never lose one.
 *
 * <p>As in the Go store, a subscription's state is also written before the second is up once 2000 changes are
 * waiting, where an ack of a message sent since the last write cancels that send (neither would be written):
 * a subscriber that keeps up leaves few changes waiting, and its state is written once a second.
 */
final class PendingStateWriter {

    /** The Go store's flush delay and forced-flush threshold. */
    private static final long FLUSH_DELAY_NANOS = 1_000_000_000L;
    private static final int MAX_UNWRITTEN = 2000;

    private final boolean noCaching;
    private final Set<Subscription> dirty = new LinkedHashSet<>();

    PendingStateWriter(boolean noCaching) {
        this.noCaching = noCaching;
    }

    void sent(Subscription sub, long sequence, Batch batch) {
        if (noCaching) {
            batch.store(new StoreOp.AddPending(sub.id, sub.takeRow(batch), sequence));
        } else {
            changed(sub, 1, batch);
        }
    }

    void acknowledged(Subscription sub, long sequence, Batch batch) {
        if (noCaching) {
            batch.store(new StoreOp.AckPending(sub.channel.id, sub.id, sequence, sequence >= sub.lastSent()));
        } else {
            changed(sub, sequence > sub.lastSentAtFlush() ? -1 : 1, batch);
        }
    }

    private void changed(Subscription sub, int unwritten, Batch batch) {
        boolean wasDirty = !dirty.add(sub);
        if (!wasDirty) {
            batch.onRollback(() -> dirty.remove(sub));
        }
        sub.addUnwritten(unwritten, batch);
    }

    /** Writes the state of the dirty subscriptions whose flush delay passed or that changed a lot. */
    void flushDue(long now, Batch batch) {
        List<Subscription> due = new ArrayList<>();
        for (Subscription sub : dirty) {
            if (sub.stateWriteDue(now, FLUSH_DELAY_NANOS, MAX_UNWRITTEN)) {
                due.add(sub);
            }
        }
        due.forEach(sub -> flush(sub, now, batch));
    }

    /** Writes every changed subscription state (at shutdown). */
    void flushAll(long now, Batch batch) {
        new ArrayList<>(dirty).forEach(sub -> flush(sub, now, batch));
    }

    /** Writes the subscription's state now if it changed (it goes offline or becomes a shadow). */
    void flushNow(Subscription sub, long now, Batch batch) {
        if (dirty.contains(sub)) {
            flush(sub, now, batch);
        }
    }

    /** The subscription is deleted with its rows: nothing of it is to be written any more. */
    void forget(Subscription sub, Batch batch) {
        if (dirty.remove(sub)) {
            batch.onRollback(() -> dirty.add(sub));
        }
    }

    private void flush(Subscription sub, long now, Batch batch) {
        dirty.remove(sub);
        batch.onRollback(() -> dirty.add(sub));
        long row = sub.stateWritten(now, batch);
        batch.store(new StoreOp.ReplacePending(sub.channel.id, sub.id, row, sub.lastSent(), sub.pendingSequences()));
    }
}
