package io.stanee.core;

import io.stanee.store.StoreOp;

import java.util.List;
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
        sub.channel.touch(nanoClock.getAsLong(), batch); // the inactivity clock starts when it is left alone
        if (sub.group != null) {
            leaveGroup(sub, unsubscribe, batch);
        } else if (sub.durable && !unsubscribe) {
            goOffline(sub, batch);
        } else {
            delete(sub, batch);
            sub.channel.removeSubscription(sub, batch);
            if (sub.durable) {
                state.durables.remove(sub.durableKey());
                batch.onRollback(() -> state.durables.put(sub.durableKey(), sub));
            }
        }
    }

    /** A closed durable keeps its position and pending messages, stored with its client ID and closed. */
    private void goOffline(Subscription sub, Batch batch) {
        state.pendingWriter.flushNow(sub, nanoClock.getAsLong(), batch);
        sub.detach(batch);
        batch.store(new StoreOp.UpdateSubscription(sub.channel.id, sub.id, sub.toState(true).toByteArray()));
    }

    private void leaveGroup(Subscription sub, boolean unsubscribe, Batch batch) {
        QueueGroup group = sub.group;
        group.leave(sub, batch);
        if (group.hasMembers()) {
            handOverPending(sub, group.members(), batch);
            delete(sub, batch);
            Subscription first = group.anyMember();
            if (group.lastSent() > first.lastSent()) {
                // the group's position must survive a restart through a remaining member
                first.carryGroupPosition(group.lastSent(), batch);
                batch.store(new StoreOp.UpdateSubscription(first.channel.id, first.id,
                        first.toState(false).toByteArray()));
            }
        } else if (group.durable && !unsubscribe) {
            state.pendingWriter.flushNow(sub, nanoClock.getAsLong(), batch);
            sub.becomeShadow(group.lastSent(), batch);
            group.keepIn(sub, batch);
            batch.store(new StoreOp.UpdateSubscription(sub.channel.id, sub.id, sub.toState(false).toByteArray()));
        } else {
            delete(sub, batch);
            sub.channel.removeGroup(group, batch);
        }
    }

    /** The leaver's unacknowledged messages go to the remaining members in turn, to be redelivered at once. */
    private void handOverPending(Subscription leaver, List<Subscription> members, Batch batch) {
        long deadline = nanoClock.getAsLong() - HANDED_OVER_AGO_NANOS;
        int next = 0;
        for (long sequence : leaver.pendingSequences()) {
            Subscription receiver = members.get(next++ % members.size());
            receiver.takeOver(sequence, deadline, batch);
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
