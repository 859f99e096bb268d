package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ChannelNames;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.pb.Protocol.Ack;
import io.stanee.protocol.pb.Protocol.SubscriptionRequest;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.pb.Protocol.UnsubscribeRequest;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoreOp;

import java.util.function.LongSupplier;

/**
 * Subscribe (new, durable resume, queue group join or shadow take-over), unsubscribe, subscription close and
 * acks. How a subscription ends is {@link SubscriptionCloser}'s business.
 */
final class SubscriptionHandler {

    private final ServerState state;
    private final SubscriptionCloser closer;
    private final LongSupplier nanoClock;

    SubscriptionHandler(ServerState state, SubscriptionCloser closer, LongSupplier nanoClock) {
        this.state = state;
        this.closer = closer;
        this.nanoClock = nanoClock;
    }

    void subscribe(InboundMessage message, Batch batch) {
        batch.expectFailureReply(error -> subscriptionReply(message, "", error));
        SubscriptionRequest request;
        try {
            request = SubscriptionRequest.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.INVALID_SUBSCRIPTION_REQUEST));
            return;
        }
        if (!state.ownership.owns(request.getSubject())) {
            return; // partitioned: another server's channel, that server answers (the Go server's silence)
        }
        String error = validate(request);
        if (error != null) {
            batch.reply(subscriptionReply(message, "", error));
            return;
        }
        try {
            Channel channel = state.channel(request.getSubject(), nanoClock.getAsLong(), batch);
            Subscription sub = request.getQGroup().isEmpty()
                    ? subscribePlain(channel, request, batch)
                    : joinGroup(channel, request, batch);
            // the reply goes out before the subscription's first message (replies precede deliveries)
            batch.reply(subscriptionReply(message, sub.ackInbox(), ""));
            batch.mayDeliver(sub);
        } catch (RequestRejected e) {
            batch.reply(subscriptionReply(message, "", e.getMessage()));
        }
    }

    /** The Go server's checks, in its order. */
    private String validate(SubscriptionRequest request) {
        if (request.getClientID().isEmpty()) {
            return ProtocolErrors.CLIENT_ID_MISSING;
        }
        if (request.getAckWaitInSecs() <= 0) {
            return ProtocolErrors.INVALID_ACK_WAIT;
        }
        if (request.getMaxInFlight() <= 0) {
            return ProtocolErrors.INVALID_MAX_IN_FLIGHT;
        }
        if (request.getStartPositionValue() < 0 || request.getStartPositionValue() > 4) {
            return ProtocolErrors.INVALID_START_POSITION;
        }
        if (!ChannelNames.isValidLiteral(request.getSubject())) {
            return ProtocolErrors.INVALID_SUBJECT;
        }
        if (!state.clients.containsKey(request.getClientID())) {
            return ProtocolErrors.UNKNOWN_CLIENT_ID;
        }
        if (!request.getQGroup().isEmpty() && request.getDurableName().contains(":")) {
            return ProtocolErrors.DURABLE_QUEUE_NAME_COLON;
        }
        // stan-ee's own: what the schema's columns (and the stored subscription record) can hold
        RequestLimits limits = state.requests;
        String tooLong = limits.nameTooLong("channel name", request.getSubject());
        if (tooLong == null) {
            tooLong = limits.nameTooLong("durable name", request.getDurableName());
        }
        if (tooLong == null) {
            tooLong = limits.nameTooLong("queue group name", request.getQGroup());
        }
        if (tooLong == null) {
            tooLong = limits.nameTooLong("inbox", request.getInbox());
        }
        return tooLong;
    }

    private Subscription subscribePlain(Channel channel, SubscriptionRequest request, Batch batch) {
        String durableName = request.getDurableName();
        if (!durableName.isEmpty()) {
            Subscription existing = state.durables.get(
                    Subscription.durableKey(request.getClientID(), channel.name, durableName));
            if (existing != null) {
                if (existing.isOnline()) {
                    if (!state.settings.replaceDurable()) {
                        throw new RequestRejected(ProtocolErrors.DUPLICATE_DURABLE);
                    }
                    // replace_durable (Go: closeDurableIfDuplicate): closed as its client would close it, so the
                    // new registration resumes it with its position and pending messages
                    closer.close(existing, false, batch);
                }
                return resume(existing, request, batch);
            }
        }
        Subscription sub = create(channel, durableName, null, !durableName.isEmpty(), request, batch);
        sub.startAfter(startingLastSent(channel, request));
        channel.addSubscription(sub, batch);
        if (sub.durable) {
            state.durables.put(sub.durableKey(), sub);
            batch.onRollback(() -> state.durables.remove(sub.durableKey()));
        }
        batch.store(new StoreOp.CreateSubscription(channel.id, sub.id, sub.toState(false).toByteArray()));
        return sub;
    }

    private Subscription joinGroup(Channel channel, SubscriptionRequest request, Batch batch) {
        boolean durable = !request.getDurableName().isEmpty();
        String groupName = durable ? request.getDurableName() + ":" + request.getQGroup() : request.getQGroup();
        QueueGroup group = channel.group(groupName);
        if (group != null && group.shadow() != null) {
            return resume(group.takeShadow(batch), request, batch);
        }
        if (group == null) {
            // only a new group takes the start position; members joining later share the group's position
            group = channel.openGroup(groupName, durable, startingLastSent(channel, request), batch);
        }
        Subscription sub = create(channel, "", group, durable, request, batch);
        sub.startAfter(group.lastSent());
        group.join(sub, batch);
        batch.store(new StoreOp.CreateSubscription(channel.id, sub.id, sub.toState(false).toByteArray()));
        return sub;
    }

    /** A new subscription with a new ID, attached to the requesting client. */
    private Subscription create(Channel channel, String durableName, QueueGroup group, boolean durable,
                                SubscriptionRequest request, Batch batch) {
        if (channel.limits.maxSubscriptions() > 0 && channel.subscriptionCount() >= channel.limits.maxSubscriptions()) {
            throw new RequestRejected(ProtocolErrors.TOO_MANY_SUBSCRIPTIONS);
        }
        Subscription sub = new Subscription(++state.maxSubscriptionId, channel, durableName, group, durable);
        sub.attach(request.getClientID(), request.getInbox(), state.newAckInbox(), request.getMaxInFlight(),
                request.getAckWaitInSecs());
        state.goOnline(sub);
        state.stats.subscriptions.incrementAndGet();
        batch.onRollback(() -> {
            // the ID stays used: a commit that failed on this side may still have stored it
            state.goOffline(sub);
            state.stats.subscriptions.decrementAndGet();
        });
        return sub;
    }

    /**
     * An offline durable or a group's shadow gets a client again: same ID, position and pending messages; the
     * request's inbox, maxInFlight and ack wait; a new ack inbox; the start position is ignored.
     */
    private Subscription resume(Subscription sub, SubscriptionRequest request, Batch batch) {
        sub.resume(request.getClientID(), request.getInbox(), state.newAckInbox(), request.getMaxInFlight(),
                request.getAckWaitInSecs(), batch);
        if (sub.group != null) {
            sub.group.join(sub, batch);
        }
        state.goOnline(sub);
        batch.onRollback(() -> state.goOffline(sub));
        batch.store(new StoreOp.UpdateSubscription(sub.channel.id, sub.id, sub.toState(false).toByteArray()));
        return sub;
    }

    /** The sequence before the first one to deliver, from the start position (Go: setSubStartSequence). */
    private long startingLastSent(Channel channel, SubscriptionRequest request) {
        long first = channel.first();
        long last = channel.last();
        return switch (request.getStartPosition()) {
            case NewOnly -> last;
            case LastReceived -> last > 0 ? last - 1 : 0;
            case TimeDeltaStart -> {
                long since = nanoClock.getAsLong() - request.getStartTimeDelta();
                long seq = channel.isEmpty() ? last + 1 : state.store.firstSequenceAtOrAfter(channel.id, since);
                if (seq == 0) {
                    seq = last + 1;
                }
                yield seq > 0 ? seq - 1 : 0;
            }
            case SequenceStart -> {
                long start = request.getStartSequence();
                if (start < first) {
                    yield first - 1;
                } else if (start > last) {
                    yield last;
                } else {
                    yield start > 0 ? start - 1 : 0;
                }
            }
            case First -> first > 0 ? first - 1 : 0;
            case UNRECOGNIZED -> throw new RequestRejected(ProtocolErrors.INVALID_START_POSITION);
        };
    }

    /** Unsubscribe ({@code unsubscribe} true) and subscription close share the request and its checks. */
    void unsubscribe(InboundMessage message, boolean unsubscribe, Batch batch) {
        batch.expectFailureReply(error -> subscriptionReply(message, "", error));
        UnsubscribeRequest request;
        try {
            request = UnsubscribeRequest.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.INVALID_UNSUBSCRIBE_REQUEST));
            return;
        }
        if (!state.ownership.owns(request.getSubject())) {
            return; // partitioned: another server's channel
        }
        Channel channel = state.channels.get(request.getSubject());
        if (channel == null) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.UNKNOWN_CHANNEL));
            return;
        }
        Subscription sub = find(channel, request.getInbox());
        if (sub == null) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.INVALID_SUBSCRIPTION));
            return;
        }
        if (!sub.clientId().equals(request.getClientID())) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.UNKNOWN_CLIENT_ID));
            return;
        }
        closer.close(sub, unsubscribe, batch);
        batch.reply(subscriptionReply(message, "", ""));
    }

    /** By ack inbox, else by delivery inbox (what the Go client sends after a subscribe timeout). */
    private Subscription find(Channel channel, String inbox) {
        Subscription byAckInbox = state.subscriptionsByAckInbox.get(inbox);
        if (byAckInbox != null && byAckInbox.channel == channel) {
            return byAckInbox;
        }
        for (Subscription sub : state.subscriptionsByAckInbox.values()) {
            if (sub.channel == channel && sub.inbox().equals(inbox)) {
                return sub;
            }
        }
        return null;
    }

    void ack(InboundMessage message, Batch batch) {
        Subscription sub = state.subscriptionsByAckInbox.get(message.subject());
        if (sub == null) {
            return; // acks for unknown subscriptions are dropped silently, as in the Go server
        }
        Ack ack;
        try {
            ack = Ack.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        Subscription holder = sub;
        if (!sub.isPending(ack.getSequence()) && sub.group != null) {
            // the message may have moved to another member since (redelivery, a member that left)
            holder = sub.group.members().stream().filter(m -> m.isPending(ack.getSequence()))
                    .findFirst().orElse(sub);
        }
        acknowledge(holder, ack.getSequence(), batch);
    }

    /** Removes a sequence from the pending messages of a subscription (client acks and internal ones). */
    void acknowledge(Subscription sub, long sequence, Batch batch) {
        if (!sub.acknowledge(sequence, batch)) {
            return; // unknown or already acknowledged: a no-op
        }
        state.pendingWriter.acknowledged(sub, sequence, batch);
        batch.mayDeliver(sub);
    }

    private static OutboundMessage subscriptionReply(InboundMessage message, String ackInbox, String error) {
        SubscriptionResponse.Builder response = SubscriptionResponse.newBuilder();
        if (!ackInbox.isEmpty()) {
            response.setAckInbox(ackInbox);
        }
        if (!error.isEmpty()) {
            response.setError(error);
        }
        return OutboundMessage.publish(message.replyTo(), response.build().toByteArray());
    }
}
