package io.stanee.core;

import io.stanee.store.StoreOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How a subscription ends, by kind (the Go server's table):
 * <pre>
 *                               unsubscribe            subscription close / connection close
 *   plain                       deleted                deleted
 *   durable                     deleted (forgotten)    offline, resumable
 *   queue member (not last)     removed, its pending messages go to the other members
 *   last member, plain group    group deleted          group deleted
 *   last member, durable group  group deleted          kept as the group's shadow
 * </pre>
 */
final class SubscriptionCloser {

    /** Pending messages handed to other members are redelivered right away (Go: expiration now - 1 s). */
    private static final long HANDED_OVER_AGO_NANOS = 1_000_000_000L;

    private final ServerState state;
    private final LongSupplier nanoClock;

    SubscriptionCloser(ServerState state, LongSupplier nanoClock) {
        this.state = state;
        this.nanoClock = nanoClock;
    }

    void close(Subscription sub, boolean unsubscribe, Batch batch) {
        state.goOffline(sub);
        batch.onRollback(() -> state.goOnline(sub));
        long activity = sub.channel.lastActivity;
        sub.channel.lastActivity = nanoClock.getAsLong(); // the inactivity clock starts when it is left alone
        batch.onRollback(() -> sub.channel.lastActivity = activity);
        if (sub.group != null) {
            leaveGroup(sub, unsubscribe, batch);
        } else if (sub.durable && !unsubscribe) {
            goOffline(sub, batch);
        } else {
            delete(sub, batch);
            sub.channel.subscriptions.remove(sub);
            if (sub.durable) {
                state.durables.remove(sub.durableKey());
            }
            batch.onRollback(() -> {
                sub.channel.subscriptions.add(sub);
                if (sub.durable) {
                    state.durables.put(sub.durableKey(), sub);
                }
            });
        }
    }

    /** A closed durable keeps its position and pending messages, stored with its client ID and closed. */
    private void goOffline(Subscription sub, Batch batch) {
        state.pendingWriter.flushNow(sub, nanoClock.getAsLong(), batch);
        String clientId = sub.clientId;
        sub.clientId = "";
        batch.onRollback(() -> sub.clientId = clientId);
        batch.store(new StoreOp.UpdateSubscription(sub.channel.id, sub.id, sub.toState(true).toByteArray()));
    }

    private void leaveGroup(Subscription sub, boolean unsubscribe, Batch batch) {
        QueueGroup group = sub.group;
        int index = group.members.indexOf(sub);
        group.members.remove(sub);
        batch.onRollback(() -> group.members.add(Math.max(0, index), sub));
        if (!group.members.isEmpty()) {
            handOverPending(sub, group.members, batch);
            delete(sub, batch);
            Subscription first = group.members.get(0);
            if (group.lastSent > first.lastSent) {
                // the group's position must survive a restart through a remaining member
                long previous = first.lastSent;
                first.lastSent = group.lastSent;
                batch.onRollback(() -> first.lastSent = previous);
                batch.store(new StoreOp.UpdateSubscription(first.channel.id, first.id,
                        first.toState(false).toByteArray()));
            }
        } else if (group.durable && !unsubscribe) {
            state.pendingWriter.flushNow(sub, nanoClock.getAsLong(), batch);
            String clientId = sub.clientId;
            long lastSent = sub.lastSent;
            sub.clientId = "";
            sub.storedClientId = "";
            sub.lastSent = Math.max(sub.lastSent, group.lastSent);
            group.shadow = sub;
            batch.onRollback(() -> {
                group.shadow = null;
                sub.clientId = clientId;
                sub.storedClientId = clientId;
                sub.lastSent = lastSent;
            });
            batch.store(new StoreOp.UpdateSubscription(sub.channel.id, sub.id, sub.toState(false).toByteArray()));
        } else {
            delete(sub, batch);
            sub.channel.groups.remove(group.name);
            batch.onRollback(() -> sub.channel.groups.put(group.name, group));
        }
    }

    /** The leaver's unacknowledged messages go to the remaining members in turn, to be redelivered at once. */
    private void handOverPending(Subscription leaver, List<Subscription> members, Batch batch) {
        long deadline = nanoClock.getAsLong() - HANDED_OVER_AGO_NANOS;
        int next = 0;
        for (Map.Entry<Long, Long> entry : new ArrayList<>(leaver.pending.entrySet())) {
            Subscription receiver = members.get(next++ % members.size());
            long sequence = entry.getKey();
            receiver.addPending(sequence, deadline);
            batch.onRollback(() -> receiver.pending.remove(sequence));
            state.pendingWriter.sent(receiver, sequence, batch);
        }
    }

    private void delete(Subscription sub, Batch batch) {
        state.pendingWriter.forget(sub, batch);
        state.stats.subscriptions.decrementAndGet();
        batch.onRollback(() -> state.stats.subscriptions.incrementAndGet());
        batch.store(new StoreOp.DeleteSubscription(sub.channel.id, sub.id, sub.id == state.maxSubscriptionId));
    }
}
