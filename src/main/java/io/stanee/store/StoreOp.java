package io.stanee.store;

/** One change to the store, as the Go SQL store makes it (see docs: sql-store.md, "Operations"). */
public sealed interface StoreOp {

    /** ServerInfo row: cluster ID and the serialized spb.ServerInfo, written at first start. */
    record InitServer(String clusterId, byte[] serverInfo) implements StoreOp { }

    /** Clients row for a connected client; {@code clientInfo} is a serialized spb.ClientInfo. */
    record AddClient(String clientId, String hbInbox, byte[] clientInfo) implements StoreOp { }

    record DeleteClient(String clientId) implements StoreOp { }

    /** Channels row with the effective limits of the channel ({@code maxAge} in nanoseconds, 0 = unlimited). */
    record CreateChannel(int channelId, String name, int maxMsgs, long maxBytes, long maxAge) implements StoreOp { }

    /** Removes a channel's oldest messages, up to and including {@code throughSeq} (limits, expiry). */
    record DeleteMessages(int channelId, long throughSeq) implements StoreOp { }

    /** Channels.maxseq: the last sequence of a channel that age expiry emptied, so numbering continues. */
    record RememberLastSequence(int channelId, long lastSeq) implements StoreOp { }

    /**
     * Marks a channel deleted (max_inactivity): it is no longer recovered; its rows go afterwards, a round at a
     * time ({@link Store#purgeDeletedChannel}), as in the Go store.
     */
    record DeleteChannel(int channelId) implements StoreOp { }

    /** Messages row; {@code data} is the serialized MsgProto, {@code size} its length. */
    record AddMessage(int channelId, long sequence, long timestamp, byte[] data) implements StoreOp { }

    /** Subscriptions row for a new subscription; {@code subState} is a serialized spb.SubState. */
    record CreateSubscription(int channelId, long subId, byte[] subState) implements StoreOp { }

    /** New SubState of an existing subscription (durable resume or close, shadow, queue position hand-over). */
    record UpdateSubscription(int channelId, long subId, byte[] subState) implements StoreOp { }

    /**
     * Removes a subscription and its SubsPending rows. The subscription holding the highest ID is only marked
     * deleted, so that IDs are never reused after a restart (SubsPending rows are keyed by subscription ID alone).
     */
    record DeleteSubscription(int channelId, long subId, boolean keepAsMarker) implements StoreOp { }

    /** A message sent and not yet acknowledged: a SubsPending row (no-caching layout). */
    record AddPending(long subId, long row, long sequence) implements StoreOp { }

    /**
     * The caching layout: all SubsPending rows of the subscription are replaced by one row holding its pending
     * sequences as a JSON array and its last sent sequence; Subscriptions.lastsent gets that sequence too.
     */
    record ReplacePending(int channelId, long subId, long row, long lastSent, java.util.List<Long> pending)
            implements StoreOp { }

    /**
     * An acknowledged message: its SubsPending row goes; when it was the highest sequence sent, the
     * Subscriptions.lastsent column keeps that sequence ({@code recordLastSent}).
     */
    record AckPending(int channelId, long subId, long sequence, boolean recordLastSent) implements StoreOp { }
}
