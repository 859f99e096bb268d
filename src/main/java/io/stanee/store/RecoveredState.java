package io.stanee.store;

import java.util.List;

/**
 * What a restart finds in the store.
 *
 * @param serverInfo the serialized spb.ServerInfo, or null on a new store
 * @param clients serialized spb.ClientInfo of the registered clients
 * @param channels the channels that are not deleted, with their message range
 * @param maxSubscriptionId the highest subscription ID ever given (deleted ones included)
 * @param maxChannelId the highest channel ID in the store (channels marked deleted included)
 * @param deletedChannelIds channels marked deleted whose rows are not all removed yet
 */
public record RecoveredState(byte[] serverInfo, List<Client> clients, List<Channel> channels,
                             long maxSubscriptionId, int maxChannelId, List<Integer> deletedChannelIds) {

    public record Client(String clientId, String hbInbox, byte[] clientInfo) { }

    /**
     * A channel and the range of its stored sequences, {@code first..last} (first = last + 1 when empty); their
     * count and size are not part of it (see {@link Store#messageTotals}).
     */
    public record Channel(int channelId, String name, long first, long last, List<Subscription> subscriptions) { }

    /**
     * A subscription: its serialized spb.SubState, the highest sequence known to have been sent (from every
     * source: the proto, the lastsent columns, the pending rows), its unacknowledged sequences and the highest
     * SubsPending row number it used.
     */
    public record Subscription(long subId, byte[] subState, long lastSent, List<Long> pending, long maxRow) { }

    public boolean isNew() {
        return serverInfo == null;
    }
}
