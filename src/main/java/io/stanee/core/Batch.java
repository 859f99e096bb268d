package io.stanee.core;

import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The unit of work of one batch of requests: the store operations, the replies and deliveries held back until
 * the store committed, and how to take back every in-memory change if it does not.
 */
final class Batch {

    private final StoreBatch store = new StoreBatch();
    private final List<OutboundMessage> replies = new ArrayList<>();
    private final List<OutboundMessage> deliveries = new ArrayList<>();
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final Set<Subscription> toDeliver = new LinkedHashSet<>();
    private final Set<Channel> published = new LinkedHashSet<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** When the adapter received each publish this batch stores (for the publish-to-PubAck latency). */
    private long[] publishReceipts = new long[16];
    private int publishes;
    private int redeliveries;
    /** One per request, in order: how to answer it if the batch's store work fails (null: no answer). */
    private final List<Function<String, OutboundMessage>> failureReplies = new ArrayList<>();

    /** Called by the router before each request: it has no failure answer until its handler gives one. */
    void nextRequest() {
        failureReplies.add(null);
    }

    /** How to answer the current request if the batch's store work fails. */
    void expectFailureReply(Function<String, OutboundMessage> reply) {
        if (failureReplies.isEmpty()) {
            failureReplies.add(reply);
        } else {
            failureReplies.set(failureReplies.size() - 1, reply);
        }
    }

    /** The error answers of every request that has one (acks and pings have none), in request order. */
    List<OutboundMessage> failureReplies(String error) {
        List<OutboundMessage> out = new ArrayList<>();
        for (Function<String, OutboundMessage> reply : failureReplies) {
            OutboundMessage answer = reply == null ? null : reply.apply(error);
            if (answer != null && answer.subject() != null) {
                out.add(answer);
            }
        }
        return out;
    }

    void store(StoreOp op) {
        store.add(op);
    }

    StoreBatch storeBatch() {
        return store;
    }

    /** Queues a reply; a request without a reply subject gets none. */
    void reply(OutboundMessage message) {
        if (message.subject() != null) {
            replies.add(message);
        }
    }

    void deliver(OutboundMessage message) {
        deliveries.add(message);
    }

    /** Registers how to take back an in-memory change if the store does not commit. */
    void onRollback(Runnable action) {
        undo.push(action);
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** The subscription may be able to take more messages once the requests are processed. */
    void mayDeliver(Subscription subscription) {
        toDeliver.add(subscription);
    }

    /** The channel received messages in this batch: its size limits are checked before delivery. */
    void published(Channel channel) {
        published.add(channel);
    }

    Set<Channel> publishedChannels() {
        return published;
    }

    Set<Subscription> subscriptionsToDeliver() {
        return toDeliver;
    }

    /** Replies first (a subscription's response precedes its first message), then deliveries. */
    List<OutboundMessage> committed() {
        afterCommit.forEach(Runnable::run);
        List<OutboundMessage> out = new ArrayList<>(replies.size() + deliveries.size());
        out.addAll(replies);
        out.addAll(deliveries);
        return out;
    }

    /** A publish received at {@code receivedNanos} is stored by this batch: it gets a positive PubAck. */
    void acknowledgesPublish(long receivedNanos) {
        if (publishes == publishReceipts.length) {
            publishReceipts = java.util.Arrays.copyOf(publishReceipts, publishes * 2);
        }
        publishReceipts[publishes++] = receivedNanos;
    }

    /** A pending message is sent again, flagged redelivered, by this batch. */
    void redelivers() {
        redeliveries++;
    }

    /** Reports what this batch did, once its store work is committed. */
    void report(MetricsRecorder recorder, long committedNanos) {
        for (int i = 0; i < publishes; i++) {
            recorder.publishAcknowledged(committedNanos - publishReceipts[i]);
        }
        if (redeliveries > 0) {
            recorder.redelivered(redeliveries);
        }
    }

    void rollback() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }
}
