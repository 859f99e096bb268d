package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoredMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sends messages to subscriptions: new ones while a subscription (or a queue group's members) has room below
 * maxInFlight, and redeliveries of messages whose ack wait expired. Messages come from the channel's window
 * when recent, else from the store a page at a time.
 */
final class Delivery {

    private static final int PAGE = 256;
    /** Messages expiring this close to now are redelivered in the same pass (Go: 15 ms). */
    private static final long EXPIRY_SLACK_NANOS = 15_000_000L;

    private final ServerState state;
    private final SubscriptionHandler subscriptions;
    private final LongSupplier nanoClock;
    private final Map<Long, byte[]> page = new HashMap<>();
    private Channel pageChannel;

    Delivery(ServerState state, SubscriptionHandler subscriptions, LongSupplier nanoClock) {
        this.state = state;
        this.subscriptions = subscriptions;
        this.nanoClock = nanoClock;
    }

    /** Sends what the subscriptions touched by the batch can now take. */
    void deliverAll(Batch batch) {
        try {
            for (Subscription sub : batch.subscriptionsToDeliver()) {
                if (sub.isOnline() && state.subscriptionsByAckInbox.get(sub.ackInbox()) == sub) {
                    if (sub.newOnHold()) {
                        redeliverAllPending(sub, batch);
                    }
                    if (sub.group != null) {
                        deliverToGroup(sub.group, batch);
                    } else {
                        deliverToSubscription(sub, batch);
                    }
                }
            }
        } finally {
            page.clear();
            pageChannel = null;
        }
    }

    private void deliverToSubscription(Subscription sub, Batch batch) {
        Channel channel = sub.channel;
        while (!sub.isStalled() && sub.lastSent() < channel.last()) {
            StoredMessage message = message(channel, Math.max(sub.lastSent() + 1, channel.first()));
            if (message == null) {
                return; // nothing stored at or after it (yet)
            }
            sendNew(sub, message, batch);
        }
    }

    private void deliverToGroup(QueueGroup group, Batch batch) {
        Channel channel = group.hasMembers() ? group.anyMember().channel : null;
        while (channel != null && group.lastSent() < channel.last() && !group.allStalled()) {
            StoredMessage message = message(channel, Math.max(group.lastSent() + 1, channel.first()));
            if (message == null) {
                return;
            }
            Subscription member = group.pickMember(m -> !state.failingHeartbeats(m));
            group.sent(message.sequence(), batch);
            sendNew(member, message, batch);
        }
    }

    private void sendNew(Subscription sub, StoredMessage message, Batch batch) {
        long sequence = message.sequence();
        sub.sent(sequence, nanoClock.getAsLong() + sub.ackWaitNanos(), batch);
        state.pendingWriter.sent(sub, sequence, batch);
        // the stored MsgProto is exactly what a first delivery carries (not redelivered, no count)
        publish(sub, message.data(), batch);
    }

    /** Redelivers every subscription's messages whose ack wait expired (called on the timer). */
    void redeliverExpired(Batch batch) {
        long now = nanoClock.getAsLong();
        for (Subscription sub : List.copyOf(state.subscriptionsByAckInbox.values())) {
            if (!sub.mayHaveExpired(now + EXPIRY_SLACK_NANOS)) {
                continue;
            }
            if (sub.group == null && state.failingHeartbeats(sub)) {
                continue; // the Go server holds redeliveries to a client that does not answer heartbeats
            }
            redeliverExpired(sub, now, batch);
        }
    }

    private void redeliverExpired(Subscription sub, long now, Batch batch) {
        long nextExpiry = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> entry : sub.pendingEntries()) {
            long sequence = entry.getKey();
            long deadline = entry.getValue();
            StoredMessage message = null;
            if (deadline == 0) {
                // recovered after a restart: the ack wait counts from the message's timestamp
                message = exactMessage(sub.channel, sequence);
                deadline = message == null ? now : timestampOf(message.data()) + sub.ackWaitNanos();
            }
            if (deadline > now + EXPIRY_SLACK_NANOS) {
                sub.newDeadline(sequence, deadline, batch);
                nextExpiry = Math.min(nextExpiry, deadline);
                continue;
            }
            if (message == null) {
                message = exactMessage(sub.channel, sequence);
            }
            Subscription target = redeliver(sub, sequence, message, deadline, batch);
            if (target == sub && sub.isPending(sequence)) {
                nextExpiry = Math.min(nextExpiry, sub.deadlineOf(sequence));
            }
        }
        sub.nextExpiry(nextExpiry, batch);
    }

    /** A resumed durable's pending messages go out again first, before anything new. */
    private void redeliverAllPending(Subscription sub, Batch batch) {
        sub.releaseHold(batch);
        long now = nanoClock.getAsLong();
        for (long sequence : sub.pendingSequences()) {
            redeliver(sub, sequence, exactMessage(sub.channel, sequence), now, batch);
        }
    }

    /**
     * Sends a pending message again, flagged redelivered, whatever maxInFlight says. A queue group may give it
     * to another member, which then holds it (the first holder's copy is acknowledged internally). A message
     * the store no longer has (removed by limits) is acknowledged instead. Returns who holds it now.
     */
    private Subscription redeliver(Subscription sub, long sequence, StoredMessage message, long deadline,
                                   Batch batch) {
        if (message == null) {
            subscriptions.acknowledge(sub, sequence, batch);
            return sub;
        }
        Subscription target = sub;
        if (sub.group != null) {
            Subscription best = sub.group.pickMember(m -> !state.failingHeartbeats(m));
            if (best != null && best != sub) {
                target = best;
            }
        }
        int count = target.countRedelivery(sequence, batch);
        long newDeadline = Math.max(deadline, nanoClock.getAsLong() - sub.ackWaitNanos()) + target.ackWaitNanos();
        if (target == sub) {
            sub.newDeadline(sequence, newDeadline, batch);
        } else {
            subscriptions.acknowledge(sub, sequence, batch);
            target.takeOver(sequence, newDeadline, batch);
            state.pendingWriter.sent(target, sequence, batch);
        }
        publish(target, redelivered(message.data(), count), batch);
        batch.redelivers();
        return target;
    }

    private void publish(Subscription sub, byte[] data, Batch batch) {
        batch.deliver(OutboundMessage.publish(sub.inbox(), data));
        batch.afterCommit(() -> {
            state.stats.messagesOut.increment();
            state.stats.bytesOut.add(data.length);
        });
    }

    private static byte[] redelivered(byte[] stored, int count) {
        try {
            return MsgProto.parseFrom(stored).toBuilder().setRedelivered(true).setRedeliveryCount(count).build()
                    .toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored message is not a MsgProto", e);
        }
    }

    /**
     * The message with this sequence, or the first one after it that is stored (messages removed by limits
     * leave a gap), or null if there is none.
     */
    private StoredMessage message(Channel channel, long sequence) {
        if (sequence > channel.last()) {
            return null;
        }
        if (sequence < channel.first()) {
            sequence = channel.first(); // removed by limits: the window may still hold it, the channel does not
        }
        // the timestamp is not needed to send a message: left 0 rather than decoded for nothing
        byte[] recent = channel.recent(sequence);
        if (recent != null) {
            return new StoredMessage(sequence, 0, recent);
        }
        if (pageChannel == channel && page.containsKey(sequence)) {
            return new StoredMessage(sequence, 0, page.get(sequence));
        }
        List<StoredMessage> read = state.store.messages(channel.id, sequence, PAGE);
        page.clear();
        pageChannel = channel;
        read.forEach(m -> page.put(m.sequence(), m.data()));
        return read.isEmpty() ? null : read.get(0);
    }

    /** The message with exactly this sequence, or null if the store no longer has it. */
    private StoredMessage exactMessage(Channel channel, long sequence) {
        StoredMessage message = message(channel, sequence);
        return message != null && message.sequence() == sequence ? message : null;
    }

    private static long timestampOf(byte[] data) {
        try {
            return MsgProto.parseFrom(data).getTimestamp();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored message is not a MsgProto", e);
        }
    }
}
