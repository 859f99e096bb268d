package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.spb.ServerProtocol.SubState;
import io.stanee.store.RecoveredState;

import java.util.logging.Logger;

/**
 * Rebuilds a channel's subscriptions after a restart (Go: recovery of subscriptions). Subscriptions of clients
 * that were recovered are online again on their stored ack inbox; closed durables and shadows stay offline;
 * durables of clients that are gone go offline; plain subscriptions of clients that are gone are skipped.
 * Pending messages are redelivered once their ack wait, counted from their timestamp, has passed.
 */
final class SubscriptionRecovery {

    private static final Logger LOG = Logger.getLogger(SubscriptionRecovery.class.getName());

    private final ServerState state;

    SubscriptionRecovery(ServerState state) {
        this.state = state;
    }

    void restore(Channel channel, RecoveredState.Subscription stored) {
        SubState proto;
        try {
            proto = SubState.parseFrom(stored.subState() == null ? new byte[0] : stored.subState());
        } catch (InvalidProtocolBufferException e) {
            LOG.warning(() -> "subscription " + stored.subId() + " of channel " + channel.name
                    + " has an undecodable SubState; skipped");
            return;
        }
        boolean clientKnown = state.clients.containsKey(proto.getClientID());
        QueueGroup group = null;
        if (!proto.getQGroup().isEmpty()) {
            group = channel.restoreGroup(proto.getQGroup(), name -> new QueueGroup(name, proto.getIsDurable(), 0));
        } else if (!proto.getIsDurable() && !clientKnown) {
            return;
        }
        boolean offline = group != null ? proto.getClientID().isEmpty() || !clientKnown
                : proto.getIsClosed() || !clientKnown;
        Subscription sub = new Subscription(stored.subId(), channel, proto.getDurableName(), group,
                proto.getIsDurable());
        sub.attach(proto.getClientID(), proto.getInbox(), proto.getAckInbox(), Math.max(1, proto.getMaxInFlight()),
                Math.max(1, proto.getAckWaitInSecs()));
        sub.recovered(Math.max(proto.getLastSent(), stored.lastSent()), stored.maxRow(), stored.pending(), offline);
        state.stats.subscriptions.incrementAndGet();

        if (group != null) {
            group.restore(sub, offline); // an offline member keeps the durable group's state as its shadow
            if (!offline) {
                state.goOnline(sub);
            }
            return;
        }
        channel.restoreSubscription(sub);
        if (sub.durable) {
            state.durables.put(sub.durableKey(), sub);
        }
        if (!offline) {
            state.goOnline(sub);
        }
    }
}
