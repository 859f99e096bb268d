package io.stanee.core;

import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.StoreOp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Applies the channel limits: the oldest messages go when a channel holds more than max_msgs or max_bytes
 * (the newest always stays), messages older than max_age expire, and a channel left without active
 * subscriptions for max_inactivity is deleted. Subscriptions skip what is gone: a pending message the store no
 * longer has is acknowledged internally at its redelivery.
 */
final class LimitsEnforcer {

    private static final Logger LOG = Logger.getLogger(LimitsEnforcer.class.getName());
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
    private static final int SIZE_PAGE = 1000;
    /**
     * Recovered channels one request to the store counts (it counts them one after another): their limits apply
     * as each request's counts arrive, a request at a time.
     */
    private static final int COUNT_REQUEST = 1000;

    private final ServerState state;
    private final LongSupplier nanoClock;
    /** Recovered channels not yet asked about, the ones the store is counting now, and what it counted so far. */
    private final List<Channel> toCount = new ArrayList<>();
    private List<Channel> inRequest = List.of();
    private Future<List<MessageTotals>> counting;
    private long countedMessages;
    private long countedBytes;

    LimitsEnforcer(ServerState state, LongSupplier nanoClock) {
        this.state = state;
        this.nanoClock = nanoClock;
    }

    /** At recovery: the channel's stored range is counted in the background; its limits wait till then. */
    void countInBackground(Channel channel) {
        channel.countRecovered();
        toCount.add(channel);
    }

    /** After recovery: asks the store to count the first channels (one request at a time, see the store). */
    void startCounting() {
        if (counting != null || toCount.isEmpty()) {
            return;
        }
        List<Channel> next = toCount.subList(0, Math.min(COUNT_REQUEST, toCount.size()));
        inRequest = new ArrayList<>(next);
        next.clear();
        counting = state.store.messageTotals(inRequest.stream().map(Channel::beingCounted).toList());
    }

    /**
     * On the timer: the channels whose recovered messages the store has counted get their totals, and their limits
     * apply from then on. One recovered with more than today's limits allow (they were lowered since) is trimmed
     * now, as the Go SQL store does at recovery. A count that failed is asked for again.
     */
    void addRecoveredTotals(Batch batch) {
        if (counting == null || !counting.isDone()) {
            return;
        }
        List<MessageTotals> totals;
        try {
            totals = counting.get();
        } catch (ExecutionException e) {
            LOG.warning("could not count the messages of " + inRequest.size()
                    + " recovered channel(s), counting again: " + e.getCause());
            toCount.addAll(0, inRequest);
            counting = null;
            startCounting();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        counting = null;
        for (int i = 0; i < inRequest.size(); i++) {
            Channel channel = inRequest.get(i);
            MessageTotals counted = totals.get(i);
            channel.addRecoveredTotals(counted);
            countedMessages += counted.count();
            countedBytes += counted.bytes();
            enforceSize(channel, batch);
        }
        inRequest = List.of();
        if (toCount.isEmpty()) {
            LOG.info(String.format("counted the messages of the recovered channels: %d messages, %d bytes",
                    countedMessages, countedBytes));
        } else {
            startCounting();
        }
    }

    /** After a publish batch: drops the channel's oldest messages while it is over its count or size limit. */
    void enforceSize(Channel channel, Batch batch) {
        if (!channel.totalsKnown()) {
            return;
        }
        long maxMsgs = channel.limits.maxMsgs();
        long maxBytes = channel.limits.maxBytes();
        long count = channel.count();
        long bytes = channel.bytes();
        long through = channel.first() - 1;
        List<MessageSize> sizes = List.of();
        int next = 0;
        while (count > 1 && ((maxMsgs > 0 && count > maxMsgs) || (maxBytes > 0 && bytes > maxBytes))) {
            long sequence = through + 1;
            byte[] recent = channel.recent(sequence);
            long size;
            if (recent != null) {
                size = recent.length;
            } else {
                if (next >= sizes.size() || sizes.get(next).sequence() != sequence) {
                    sizes = state.store.messageSizes(channel.id, sequence, SIZE_PAGE);
                    next = 0;
                }
                // a row missing in the store (removed meanwhile) is skipped, counting nothing
                size = next < sizes.size() && sizes.get(next).sequence() == sequence ? sizes.get(next++).bytes() : 0;
            }
            through = sequence;
            count--;
            bytes -= size;
        }
        if (through < channel.first()) {
            return;
        }
        if (channel.firstLimitsWarning()) {
            LOG.warning(String.format("Reached limits for store %s (msgs=%d/%d bytes=%d/%d), dropping old messages "
                    + "to make room for new ones", ServerState.quote(channel.name), channel.count(), maxMsgs,
                    channel.bytes(), maxBytes));
        }
        drop(channel, through, channel.count() - count, channel.bytes() - bytes, batch);
    }

    /** On the timer: messages older than the channel's max_age go (checked once a second per channel). */
    void expireByAge(Batch batch) {
        long now = nanoClock.getAsLong();
        for (Channel channel : state.channels.values()) {
            long maxAge = channel.limits.maxAgeNanos();
            if (maxAge <= 0 || channel.isEmpty() || !channel.totalsKnown()
                    || !channel.ageCheckDue(now, CHECK_INTERVAL_NANOS)) {
                continue;
            }
            MessagesUpTo expired = state.store.messagesUpTo(channel.id, now - maxAge);
            long count = expired.count();
            long through = expired.lastSequence();
            if (count > 0 && through >= channel.first()) {
                if (through == channel.last()) {
                    // the channel becomes empty: its last sequence must survive a restart
                    batch.store(new StoreOp.RememberLastSequence(channel.id, through));
                }
                drop(channel, through, count, expired.bytes(), batch);
            }
        }
    }

    private void drop(Channel channel, long through, long count, long bytes, Batch batch) {
        channel.dropThrough(through, count, bytes, batch);
        batch.store(new StoreOp.DeleteMessages(channel.id, through));
    }

    /** On the timer: channels idle for max_inactivity with no active subscription are deleted. */
    void deleteInactiveChannels(Batch batch) {
        long now = nanoClock.getAsLong();
        List<Channel> inactive = new ArrayList<>();
        for (Channel channel : state.channels.values()) {
            long maxInactivity = channel.limits.maxInactivityNanos();
            if (maxInactivity > 0 && now - channel.lastActivity() >= maxInactivity
                    && !channel.hasActiveSubscriptions()) {
                inactive.add(channel);
            }
        }
        for (Channel channel : inactive) {
            LOG.info(() -> "Channel " + ServerState.quote(channel.name) + " has been inactive, deleting it");
            state.removeChannel(channel);
            List<Subscription> offline = List.copyOf(channel.subscriptions());
            for (Subscription sub : offline) {
                if (sub.durable) {
                    state.durables.remove(sub.durableKey());
                }
                state.pendingWriter.forget(sub, batch); // no pending-state row may outlive the channel's purge
            }
            batch.onRollback(() -> {
                state.addChannel(channel);
                offline.stream().filter(s -> s.durable).forEach(s -> state.durables.put(s.durableKey(), s));
            });
            batch.store(new StoreOp.DeleteChannel(channel.id));
            batch.afterCommit(() -> state.purge.add(channel.id));
        }
    }
}
