package io.stanee.core;

import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreConnectionLost;
import io.stanee.store.StoreFailures;
import io.stanee.store.StoreOp;

import java.util.Optional;

/**
 * Settles a commit whose connection broke under it (a database restart ending the connection just as the batch
 * commits): the database may or may not have made it. A batch that stored a message tells: the transaction is
 * atomic and this server is the channel's only writer, so the channel's last stored sequence is at least the
 * batch's newest message exactly when the whole batch was committed. Asked on a fresh connection, while the
 * database comes back, until the deadline. Anything else (a timeout: the database hangs; a batch without a
 * message) stays unknown, and the existing rule for an uncertain commit applies.
 */
final class LostCommit {

    private LostCommit() {
    }

    /** Whether the batch was committed after all; empty when that cannot be told in time. */
    static Optional<Boolean> committed(Store store, StoreBatch batch, RuntimeException failure, long deadlineNanos,
                                       Runnable pause) {
        if (!StoreFailures.connectionLost(failure)) {
            return Optional.empty();
        }
        StoreOp.AddMessage newest = null;
        for (StoreOp op : batch.ops()) {
            if (op instanceof StoreOp.AddMessage message) {
                newest = message;
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        while (true) {
            try {
                return Optional.of(store.lastSequence(newest.channelId()) >= newest.sequence());
            } catch (StoreConnectionLost stillAway) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return Optional.empty();
                }
                pause.run();
            } catch (RuntimeException other) {
                return Optional.empty();
            }
        }
    }
}
