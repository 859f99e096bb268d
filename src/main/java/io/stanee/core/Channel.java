package io.stanee.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel: its message range ({@code first..last}, first = last + 1 when empty), totals, the timestamp
 * clamp, its subscriptions and queue groups, and a window of its most recent messages for live subscribers.
 */
final class Channel {

    final int id;
    final String name;
    long first;
    long last;
    long count;
    long bytes;
    long lastTimestamp;
    /** Plain and durable subscriptions (offline durables included); queue members are in {@link #groups}. */
    final List<Subscription> subscriptions = new ArrayList<>();
    final Map<String, QueueGroup> groups = new HashMap<>();
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

    /** Stored subscriptions, as counted against max_subs: offline durables and shadows count. */
    int subscriptionCount() {
        int count = subscriptions.size();
        for (QueueGroup group : groups.values()) {
            count += group.members.size() + (group.shadow != null ? 1 : 0);
        }
        return count;
    }

    /** Timestamps are never older than the channel's previous one (non-decreasing, as in the Go server). */
    long timestampFor(long now) {
        return Math.max(now, lastTimestamp);
    }
}
