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

/** Subscribe, unsubscribe, subscription close and acks. */
final class SubscriptionHandler {

    private final ServerState state;
    private final LongSupplier nanoClock;

    SubscriptionHandler(ServerState state, LongSupplier nanoClock) {
        this.state = state;
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
        String error = validate(request);
        if (error != null) {
            batch.reply(subscriptionReply(message, "", error));
            return;
        }
        try {
            Subscription sub = create(request, batch);
            batch.reply(subscriptionReply(message, sub.ackInbox, ""));
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
        if (!request.getDurableName().isEmpty() || !request.getQGroup().isEmpty()) {
            // durable and queue subscriptions come with the rest of the protocol (issue #4)
            return "stan-ee: durable and queue subscriptions are not supported yet";
        }
        return null;
    }

    private Subscription create(SubscriptionRequest request, Batch batch) {
        Channel channel = state.channel(request.getSubject(), batch);
        if (state.settings.maxSubscriptions() > 0
                && channel.subscriptions.size() >= state.settings.maxSubscriptions()) {
            throw new RequestRejected(ProtocolErrors.TOO_MANY_SUBSCRIPTIONS);
        }
        long id = ++state.maxSubscriptionId;
        Subscription sub = new Subscription(id, channel, request.getClientID(), request.getInbox(),
                state.newAckInbox(), request.getMaxInFlight(), request.getAckWaitInSecs(),
                startingLastSent(channel, request));
        state.addSubscription(sub);
        batch.onRollback(() -> {
            state.removeSubscription(sub);
            state.maxSubscriptionId--;
        });
        batch.store(new StoreOp.CreateSubscription(channel.id, id, sub.toState().toByteArray()));
        return sub;
    }

    /** The sequence before the first one to deliver, from the start position (Go: setSubStartSequence). */
    private long startingLastSent(Channel channel, SubscriptionRequest request) {
        long first = channel.first;
        long last = channel.last;
        return switch (request.getStartPosition()) {
            case NewOnly -> last;
            case LastReceived -> last > 0 ? last - 1 : 0;
            case TimeDeltaStart -> {
                long since = nanoClock.getAsLong() - request.getStartTimeDelta();
                long seq = channel.count == 0 ? last + 1 : state.store.firstSequenceAtOrAfter(channel.id, since);
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

    /** Unsubscribe and subscription close (for plain subscriptions both delete it). */
    void unsubscribe(InboundMessage message, Batch batch) {
        batch.expectFailureReply(error -> subscriptionReply(message, "", error));
        UnsubscribeRequest request;
        try {
            request = UnsubscribeRequest.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.INVALID_UNSUBSCRIBE_REQUEST));
            return;
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
        if (!sub.clientId.equals(request.getClientID())) {
            batch.reply(subscriptionReply(message, "", ProtocolErrors.UNKNOWN_CLIENT_ID));
            return;
        }
        remove(sub, batch);
        batch.reply(subscriptionReply(message, "", ""));
    }

    /** By ack inbox, else by delivery inbox (what the Go client sends after a subscribe timeout). */
    private Subscription find(Channel channel, String inbox) {
        Subscription byAckInbox = state.subscriptionsByAckInbox.get(inbox);
        if (byAckInbox != null && byAckInbox.channel == channel) {
            return byAckInbox;
        }
        for (Subscription sub : channel.subscriptions) {
            if (sub.inbox.equals(inbox)) {
                return sub;
            }
        }
        return null;
    }

    void remove(Subscription sub, Batch batch) {
        state.removeSubscription(sub);
        batch.onRollback(() -> state.addSubscription(sub));
        batch.store(new StoreOp.DeleteSubscription(sub.channel.id, sub.id, sub.id == state.maxSubscriptionId));
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
        Long sentAt = sub.pending.remove(ack.getSequence());
        if (sentAt == null) {
            return; // unknown or already acknowledged: a no-op
        }
        long sequence = ack.getSequence();
        batch.onRollback(() -> sub.pending.put(sequence, sentAt));
        batch.store(new StoreOp.AckPending(sub.channel.id, sub.id, sequence, sequence >= sub.lastSent));
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
