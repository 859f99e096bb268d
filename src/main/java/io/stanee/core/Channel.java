package io.stanee.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel: its message range ({@code first..last}, first = last + 1 when empty), totals, the timestamp
 * clamp, its subscriptions and a window of its most recent messages for live subscribers.
 */
final class Channel {

    final int id;
    final String name;
    long first;
    long last;
    long count;
    long bytes;
    long lastTimestamp;
    final List<Subscription> subscriptions = new ArrayList<>();
    final MessageWindow window;

    Channel(int id, String name, long first, long last, long count, long bytes, int windowSize) {
        this.id = id;
        this.name = name;
        this.first = first;
        this.last = last;
        this.count = count;
        this.bytes = bytes;
        this.window = new MessageWindow(windowSize);
    }

    /** Timestamps are never older than the channel's previous one (non-decreasing, as in the Go server). */
    long timestampFor(long now) {
        return Math.max(now, lastTimestamp);
    }
}
