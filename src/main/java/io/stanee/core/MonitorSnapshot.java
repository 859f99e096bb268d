package io.stanee.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the Go server's monitoring endpoints show ({@code /streaming/serverz}, {@code storez}, {@code clientsz},
 * {@code channelsz}), copied out of the core's state by its worker thread.
 *
 * <p>Why a copy: the core is single-threaded by contract and HTTP threads must not read its maps while the
 * worker changes them. Every record here is immutable (lists and maps are copies), so an HTTP thread can read
 * a snapshot as long as it likes, with no lock on the hot path of publishing. The worker only copies; sorting,
 * paging and JSON happen on the HTTP thread.
 *
 * @param taken when the worker copied it
 * @param state the Go server's state name: {@code STANDALONE}, {@code FT_ACTIVE}, {@code FT_STANDBY}, {@code FAILED}
 * @param clients in no particular order
 * @param channels in no particular order
 */
public record MonitorSnapshot(Instant taken, String clusterId, String serverId, String state, Instant start,
                              List<ClientView> clients, List<ChannelView> channels, long inMsgs, long inBytes,
                              long outMsgs, long outBytes, StoreLimitsView limits) {

    /** A connected client: the Go server's {@code Clientz}, its subscriptions in the order they were made. */
    public record ClientView(String id, String hbInbox, List<SubscriptionView> subscriptions) {
    }

    /**
     * A channel: the Go server's {@code Channelz}. First and last sequence are 0 while nothing was ever stored
     * (the Go SQL store's values for a new channel). {@code storeId} is its id in the store, not shown by Go's
     * endpoints: stan-ee's own {@code /streaming/msgsz} reads the channel's stored messages with it.
     */
    public record ChannelView(String name, long msgs, long bytes, long firstSeq, long lastSeq,
                              List<SubscriptionView> subscriptions, int storeId) {
    }

    /**
     * A subscription: the Go server's {@code Subscriptionz}. An offline durable (or a durable queue group's
     * shadow) shows the client ID it was stored with.
     */
    public record SubscriptionView(String channel, String clientId, String inbox, String ackInbox,
                                   String durableName, String queueName, boolean durable, boolean offline,
                                   int maxInflight, int ackWait, long lastSent, int pendingCount,
                                   boolean stalled) {
    }

    /**
     * The Go server's {@code stores.StoreLimits} after its {@code Build()}: global limits, and every configured
     * per-channel entry with inheritance applied (0 = unlimited). Durations in nanoseconds, as Go encodes them.
     */
    public record StoreLimitsView(int maxChannels, LimitsView global, Map<String, LimitsView> perChannel) {
    }

    public record LimitsView(long maxMsgs, long maxBytes, long maxAgeNanos, long maxSubscriptions,
                             long maxInactivityNanos) {

        static LimitsView of(ChannelLimits limits) {
            return new LimitsView(limits.maxMsgs(), limits.maxBytes(), limits.maxAgeNanos(),
                    limits.maxSubscriptions(), limits.maxInactivityNanos());
        }
    }

    public int subscriptionCount() {
        int count = 0;
        for (ChannelView channel : channels) {
            count += channel.subscriptions().size();
        }
        return count;
    }

    public long totalMsgs() {
        long total = 0;
        for (ChannelView channel : channels) {
            total += channel.msgs;
        }
        return total;
    }

    public long totalBytes() {
        long total = 0;
        for (ChannelView channel : channels) {
            total += channel.bytes();
        }
        return total;
    }
}
