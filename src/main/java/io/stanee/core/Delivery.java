package io.stanee.core;

import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sends each subscription the messages after its last sent one while it has room (pending below maxInFlight):
 * from the channel's window when they are recent, else from the store one page at a time.
 */
final class Delivery {

    private static final int PAGE = 256;

    private final ServerState state;
    private final LongSupplier nanoClock;

    Delivery(ServerState state, LongSupplier nanoClock) {
        this.state = state;
        this.nanoClock = nanoClock;
    }

    void deliverAll(Batch batch) {
        for (Subscription sub : batch.subscriptionsToDeliver()) {
            if (state.subscriptionsByAckInbox.get(sub.ackInbox) == sub) {
                deliver(sub, batch);
            }
        }
    }

    private void deliver(Subscription sub, Batch batch) {
        Channel channel = sub.channel;
        Map<Long, byte[]> page = new HashMap<>();
        long now = nanoClock.getAsLong();
        while (!sub.isStalled() && sub.lastSent < channel.last) {
            long sequence = Math.max(sub.lastSent + 1, channel.first);
            byte[] data = channel.window.get(sequence);
            if (data == null) {
                data = page.get(sequence);
            }
            if (data == null) {
                page.clear();
                int wanted = Math.min(PAGE, sub.maxInFlight - sub.pending.size());
                List<StoredMessage> read = state.store.messages(channel.id, sequence, wanted);
                if (read.isEmpty()) {
                    return; // nothing stored at or after it yet (an uncommitted gap): next batch
                }
                read.forEach(m -> page.put(m.sequence(), m.data()));
                data = page.get(sequence);
                if (data == null) {
                    // removed by limits: jump to the first one that is there
                    sequence = read.get(0).sequence();
                    data = read.get(0).data();
                }
            }
            send(sub, sequence, data, now, batch);
        }
    }

    private void send(Subscription sub, long sequence, byte[] data, long now, Batch batch) {
        long previousLastSent = sub.lastSent;
        sub.pending.put(sequence, now);
        sub.lastSent = sequence;
        batch.onRollback(() -> {
            sub.pending.remove(sequence);
            sub.lastSent = previousLastSent;
        });
        batch.store(new StoreOp.AddPending(sub.id, sequence, sequence));
        // the stored MsgProto is exactly what a first delivery carries (not redelivered, no count)
        batch.deliver(OutboundMessage.publish(sub.inbox, data));
        batch.afterCommit(() -> {
            state.stats.messagesOut.increment();
            state.stats.bytesOut.add(data.length);
        });
    }
}
