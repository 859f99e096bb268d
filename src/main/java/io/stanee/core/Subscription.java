package io.stanee.core;

import io.stanee.protocol.spb.ServerProtocol.SubState;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription on a channel: where it stands ({@link #lastSent}), what it has not acknowledged yet
 * ({@link #pending}) and, for durables, whether anybody is attached to it. A plain durable whose client left
 * stays as an offline subscription (empty {@link #clientId}), resumable with the same state; so does the
 * "shadow" that keeps a durable queue group's state when its last member left.
 */
final class Subscription {

    final long id;
    final Channel channel;
    /** The plain durable's name; empty for other subscriptions (durable queue members included). */
    final String durableName;
    /** The queue group this is a member of, or null. */
    final QueueGroup group;
    /** A plain durable or a member of a durable queue group. */
    final boolean durable;

    /** Empty while offline (a closed durable) or a shadow. */
    String clientId;
    /** The owner's client ID as stored for a closed durable (needed to rebuild its key). */
    String storedClientId;
    String inbox;
    String ackInbox;
    int maxInFlight;
    int ackWaitSeconds;
    long lastSent;
    /** Unacknowledged sequences and their ack deadline (nanoseconds; 0 = unknown, after a restart). */
    final TreeMap<Long, Long> pending = new TreeMap<>();
    /** Redeliveries per sequence of a subscription that is not in a group (a group counts for its members). */
    final Map<Long, Integer> redeliveries = new HashMap<>();
    /** Earliest deadline in {@link #pending}, or later: a cheap test of whether anything may have expired. */
    long nextExpiry = Long.MAX_VALUE;
    /** Next SubsPending row number of this subscription. */
    long nextRow = 1;
    /**
     * Changes not yet written (caching mode: sends, and acks of written sends, less acks of unwritten sends), and
     * when its state was last written (nanoseconds).
     */
    int unwrittenChanges;
    long lastStateFlush;
    /** {@link #lastSent} when the state was last written: acks above it cancel sends not written yet. */
    long lastSentAtFlush;
    /** Resumed or recovered with pending messages: only redeliveries until the first redelivery pass. */
    boolean newOnHold;

    Subscription(long id, Channel channel, String durableName, QueueGroup group, boolean durable) {
        this.id = id;
        this.channel = channel;
        this.durableName = durableName;
        this.group = group;
        this.durable = durable;
    }

    /** Attaches a client (new subscription, resumed durable, new owner of a shadow). */
    void attach(String clientId, String inbox, String ackInbox, int maxInFlight, int ackWaitSeconds) {
        this.clientId = clientId;
        this.storedClientId = clientId;
        this.inbox = inbox;
        this.ackInbox = ackInbox;
        this.maxInFlight = maxInFlight;
        this.ackWaitSeconds = ackWaitSeconds;
    }

    boolean isOnline() {
        return !clientId.isEmpty();
    }

    boolean isStalled() {
        return pending.size() >= maxInFlight;
    }

    long ackWaitNanos() {
        return ackWaitSeconds * 1_000_000_000L;
    }

    void addPending(long sequence, long deadline) {
        pending.put(sequence, deadline);
        nextExpiry = Math.min(nextExpiry, deadline);
    }

    Map<Long, Integer> redeliveryCounts() {
        return group != null ? group.redeliveries : redeliveries;
    }

    /** The key of a plain durable: client ID, channel and durable name joined by '-' (as the Go server). */
    static String durableKey(String clientId, String channel, String durableName) {
        return clientId + "-" + channel + "-" + durableName;
    }

    String durableKey() {
        return durableKey(storedClientId, channel.name, durableName);
    }

    SubState toState(boolean closed) {
        return SubState.newBuilder()
                .setID(id)
                .setClientID(closed ? storedClientId : clientId)
                .setQGroup(group == null ? "" : group.name)
                .setInbox(inbox)
                .setAckInbox(ackInbox)
                .setMaxInFlight(maxInFlight)
                .setAckWaitInSecs(ackWaitSeconds)
                .setDurableName(durableName)
                .setLastSent(lastSent)
                .setIsDurable(durable)
                .setIsClosed(closed)
                .build();
    }
}
