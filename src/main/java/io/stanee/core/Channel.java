package io.stanee.core;

import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.StoredRange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A channel: its message range ({@code first..last}, first = last + 1 when empty), totals, the timestamp
 * clamp, its subscriptions and queue groups, and a window of its most recent messages for live subscribers.
 *
 * <p>It changes its state itself: each change made within a {@link Batch} registers how to take it back, so a
 * batch the store did not commit leaves the channel as it was. Changes without a batch are those of recovery
 * and of the store's own answers (counting, catching up after an uncertain commit).
 */
final class Channel {

    final int id;
    final String name;
    final ChannelLimits limits;
    private final MessageWindow window;

    /** Last publish, creation, or departure of the last active subscription (nanoseconds): for max_inactivity. */
    private long lastActivity;
    /** The "Reached limits" warning is logged once per channel. */
    private boolean limitsWarned;
    /** When the age limit was last checked (nanoseconds). */
    private long lastAgeCheck;
    private long first;
    private long last;
    /** Count and size of the stored messages (after a restart, see {@link #beingCounted}). */
    private long count;
    private long bytes;
    /**
     * After a restart the store counts the recovered messages (this range, as the restart found it) in the
     * background: until they are added in (and this is null), count and bytes hold only what was published since,
     * and the limits of the channel wait. Nothing trims the channel meanwhile, so the range holds the same rows
     * when the count arrives.
     */
    private StoredRange beingCounted;
    private long lastTimestamp;
    /**
     * A batch that published here failed: the store may still have committed some of it (a commit that timed
     * out on this side), so {@link #last} is read back from the store before the next publish.
     */
    private boolean lastUncertain;
    /** Plain and durable subscriptions (offline durables included); queue members are in {@link #groups}. */
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Map<String, QueueGroup> groups = new HashMap<>();

    Channel(int id, String name, ChannelLimits limits, long first, long last, MessageWindow window, long now) {
        this.id = id;
        this.name = name;
        this.limits = limits;
        this.first = first;
        this.last = last;
        this.window = window;
        this.lastActivity = now;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    long lastActivity() {
        return lastActivity;
    }

    boolean lastUncertain() {
        return lastUncertain;
    }

    boolean isEmpty() {
        return first > last;
    }

    /** A recent message from the window, or null when it is no longer (or not yet) held there. */
    byte[] recent(long sequence) {
        return window.get(sequence);
    }

    /** The channel is gone from the server: its window gives its bytes back to the shared budget. */
    void releaseWindow() {
        window.release();
    }

    List<Subscription> subscriptions() {
        return Collections.unmodifiableList(subscriptions);
    }

    Collection<QueueGroup> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    QueueGroup group(String groupName) {
        return groups.get(groupName);
    }

    // ---- messages ----------------------------------------------------------------------------------------

    /** Timestamps are never older than the channel's previous one (non-decreasing, as in the Go server). */
    long timestampFor(long now) {
        return Math.max(now, lastTimestamp);
    }

    /** Takes in a published message (the stored MsgProto) as the new last one. */
    void append(long sequence, long timestamp, byte[] data, long now, Batch batch) {
        long previousTimestamp = lastTimestamp;
        long previousActivity = lastActivity;
        lastActivity = now;
        last = sequence;
        count++;
        bytes += data.length;
        lastTimestamp = timestamp;
        window.add(sequence, data);
        batch.onRollback(() -> {
            window.removeNewest(sequence);
            last = sequence - 1;
            count--;
            bytes -= data.length;
            lastTimestamp = previousTimestamp;
            lastActivity = previousActivity;
        });
    }

    /** The limits removed the messages up to {@code through}: {@code removed} of them, {@code size} bytes. */
    void dropThrough(long through, long removed, long size, Batch batch) {
        long previousFirst = first;
        first = through + 1;
        count -= removed;
        bytes -= size;
        window.dropThrough(through); // a cache: a rollback leaves them to be read from the store
        batch.onRollback(() -> {
            first = previousFirst;
            count += removed;
            bytes += size;
        });
    }

    /** A failed batch published here: the store may hold more than {@link #last} says. */
    void markLastUncertain() {
        lastUncertain = true;
    }

    /**
     * The store's answer after an uncertain commit: its last sequence and the sizes of the messages it holds
     * beyond ours (committed after all), which become the channel's.
     */
    void caughtUp(long storedLast, List<MessageSize> committedAfterAll) {
        for (MessageSize size : committedAfterAll) {
            count++;
            bytes += size.bytes();
        }
        last = Math.max(last, storedLast);
        lastUncertain = false;
    }

    // ---- limits ------------------------------------------------------------------------------------------

    /** Whether count and bytes hold every stored message, so that the limits can be applied. */
    boolean totalsKnown() {
        return beingCounted == null;
    }

    /** At recovery: the stored messages are to be counted; the limits wait till then. */
    void countRecovered() {
        beingCounted = new StoredRange(id, first, last);
    }

    /** The range whose count the limits wait for, or null once it is added in. */
    StoredRange beingCounted() {
        return beingCounted;
    }

    /** The store counted the recovered messages: from now on count and bytes are whole. */
    void addRecoveredTotals(MessageTotals totals) {
        count += totals.count();
        bytes += totals.bytes();
        beingCounted = null;
    }

    /** True the first time only: the "Reached limits" warning is logged once per channel. */
    boolean firstLimitsWarning() {
        boolean first = !limitsWarned;
        limitsWarned = true;
        return first;
    }

    /** Whether the age limit is due for a check at {@code now}; if so, the check counts as made. */
    boolean ageCheckDue(long now, long interval) {
        if (now - lastAgeCheck < interval) {
            return false;
        }
        lastAgeCheck = now;
        return true;
    }

    /** The inactivity clock starts again (a subscriber left it alone). */
    void touch(long now, Batch batch) {
        long previous = lastActivity;
        lastActivity = now;
        batch.onRollback(() -> lastActivity = previous);
    }

    // ---- subscriptions -----------------------------------------------------------------------------------

    /** Stored subscriptions, as counted against max_subs: offline durables and shadows count. */
    int subscriptionCount() {
        int total = subscriptions.size();
        for (QueueGroup group : groups.values()) {
            total += group.memberCount() + (group.shadow() != null ? 1 : 0);
        }
        return total;
    }

    /** Whether any client is attached: offline durables and shadows do not keep a channel active. */
    boolean hasActiveSubscriptions() {
        for (Subscription sub : subscriptions) {
            if (sub.isOnline()) {
                return true;
            }
        }
        for (QueueGroup group : groups.values()) {
            if (group.hasMembers()) {
                return true;
            }
        }
        return false;
    }

    void addSubscription(Subscription sub, Batch batch) {
        subscriptions.add(sub);
        batch.onRollback(() -> subscriptions.remove(sub));
    }

    void removeSubscription(Subscription sub, Batch batch) {
        int index = subscriptions.indexOf(sub);
        if (subscriptions.remove(sub)) {
            batch.onRollback(() -> subscriptions.add(index, sub));
        }
    }

    /** At recovery: a stored plain or durable subscription. */
    void restoreSubscription(Subscription sub) {
        subscriptions.add(sub);
    }

    /** A queue group made for its first member. */
    QueueGroup openGroup(String groupName, boolean durable, long lastSent, Batch batch) {
        QueueGroup created = new QueueGroup(groupName, durable, lastSent);
        groups.put(groupName, created);
        batch.onRollback(() -> groups.remove(groupName));
        return created;
    }

    void removeGroup(QueueGroup group, Batch batch) {
        groups.remove(group.name);
        batch.onRollback(() -> groups.put(group.name, group));
    }

    /** At recovery: the group of a stored member, made on its first one. */
    QueueGroup restoreGroup(String groupName, Function<String, QueueGroup> create) {
        return groups.computeIfAbsent(groupName, create);
    }
}
