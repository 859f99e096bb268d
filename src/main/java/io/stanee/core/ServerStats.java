package io.stanee.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters and gauges of the server, safe to read from any thread (metrics, health). */
public final class ServerStats {

    final LongAdder messagesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final AtomicLong clients = new AtomicLong();
    final AtomicLong subscriptions = new AtomicLong();
    final AtomicLong channels = new AtomicLong();
    final LongAdder storeFailures = new LongAdder();
    final LongAdder storeCommits = new LongAdder();
    volatile boolean natsConnected;

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long clients() {
        return clients.get();
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public long channels() {
        return channels.get();
    }

    /** Transactions committed: messages in divided by this is the group commit's average batch. */
    public long storeCommits() {
        return storeCommits.sum();
    }

    public long storeFailures() {
        return storeFailures.sum();
    }

    public boolean natsConnected() {
        return natsConnected;
    }
}
