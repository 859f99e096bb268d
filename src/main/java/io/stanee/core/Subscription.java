package io.stanee.core;

import io.stanee.protocol.spb.ServerProtocol.SubState;

import java.util.TreeMap;

/**
 * A subscription on a channel: where it stands ({@link #lastSent}) and what it has not acknowledged yet
 * ({@link #pending}).
 */
final class Subscription {

    final long id;
    final Channel channel;
    final String clientId;
    final String inbox;
    final String ackInbox;
    final int maxInFlight;
    final int ackWaitSeconds;
    long lastSent;
    /** Unacknowledged sequences and when each was sent (nanoseconds), for redelivery after the ack wait. */
    final TreeMap<Long, Long> pending = new TreeMap<>();

    Subscription(long id, Channel channel, String clientId, String inbox, String ackInbox, int maxInFlight,
                 int ackWaitSeconds, long lastSent) {
        this.id = id;
        this.channel = channel;
        this.clientId = clientId;
        this.inbox = inbox;
        this.ackInbox = ackInbox;
        this.maxInFlight = maxInFlight;
        this.ackWaitSeconds = ackWaitSeconds;
        this.lastSent = lastSent;
    }

    boolean isStalled() {
        return pending.size() >= maxInFlight;
    }

    SubState toState() {
        return SubState.newBuilder()
                .setID(id)
                .setClientID(clientId)
                .setInbox(inbox)
                .setAckInbox(ackInbox)
                .setMaxInFlight(maxInFlight)
                .setAckWaitInSecs(ackWaitSeconds)
                .setLastSent(lastSent)
                .build();
    }
}
