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
    final ChannelLimits limits;
    /** Last publish, creation, or departure of the last active subscription (nanoseconds): for max_inactivity. */
    long lastActivity;
    /** The "Reached limits" warning is logged once per channel. */
    boolean limitsWarned;
    /** When the age limit was last checked (nanoseconds). */
    long lastAgeCheck;
    long first;
    long last;
    /** Count and size of the stored messages (after a restart, see {@link #recoveredTotals}). */
    long count;
    long bytes;
    /**
     * After a restart the store counts the recovered messages in the background: until they are added in (and
     * this is null), count and bytes hold only what was published since, and the limits of the channel wait.
     */
    RecoveredTotals recoveredTotals;
    long lastTimestamp;
    /**
     * A batch that published here failed: the store may still have committed some of it (a commit that timed
     * out on this side), so {@link #last} is read back from the store before the next publish.
     */
    boolean lastUncertain;
    /** Plain and durable subscriptions (offline durables included); queue members are in {@link #groups}. */
    final List<Subscription> subscriptions = new ArrayList<>();
    final Map<String, QueueGroup> groups = new HashMap<>();
    final MessageWindow window;

    Channel(int id, String name, ChannelLimits limits, long first, long last, int windowSize) {
        this.id = id;
        this.name = name;
        this.limits = limits;
        this.first = first;
        this.last = last;
        this.window = new MessageWindow(windowSize);
    }

    boolean isEmpty() {
        return first > last;
    }

    /** Whether count and bytes hold every stored message, so that the limits can be applied. */
    boolean totalsKnown() {
        return recoveredTotals == null;
    }

    /** Stored subscriptions, as counted against max_subs: offline durables and shadows count. */
    int subscriptionCount() {
        int count = subscriptions.size();
        for (QueueGroup group : groups.values()) {
            count += group.members.size() + (group.shadow != null ? 1 : 0);
        }
        return count;
    }

    /** Whether any client is attached: offline durables and shadows do not keep a channel active. */
    boolean hasActiveSubscriptions() {
        for (Subscription sub : subscriptions) {
            if (sub.isOnline()) {
                return true;
            }
        }
        for (QueueGroup group : groups.values()) {
            if (!group.members.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Timestamps are never older than the channel's previous one (non-decreasing, as in the Go server). */
    long timestampFor(long now) {
        return Math.max(now, lastTimestamp);
    }
}
