package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.spb.ServerProtocol.ServerInfo;
import io.stanee.store.Store;
import io.stanee.store.StoreOp;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Everything the server holds in memory, and the few changes to it that several handlers make. */
final class ServerState {

    final ServerSettings settings;
    final Store store;
    final ServerStats stats;
    final RequestLimits requests;
    ServerInfo info;
    final Map<String, Client> clients = new HashMap<>();
    final Map<ByteString, Client> clientsByConnId = new HashMap<>();
    final Map<String, Channel> channels = new HashMap<>();
    final Map<String, String> channelNamesByLowerCase = new HashMap<>();
    /** Online subscriptions by ack inbox: where acks are routed. */
    final Map<String, Subscription> subscriptionsByAckInbox = new HashMap<>();
    /** Plain durables, online or offline, by durable key. */
    final Map<String, Subscription> durables = new HashMap<>();
    int maxChannelId;
    /**
     * Channels a failed batch created, by name: the commit may have been made although it failed on this side
     * (a timeout during COMMIT), so their next creation asks the store before it takes a new ID.
     */
    final Map<String, Integer> maybeStored = new HashMap<>();
    long maxSubscriptionId;
    long clientGenerations;

    final LimitsResolver limits;
    final ChannelOwnership ownership;
    final PendingStateWriter pendingWriter;
    final ChannelPurge purge;
    final MessageWindows windows;

    ServerState(ServerSettings settings, RequestLimits requests, Store store, ServerStats stats) {
        this.settings = settings;
        this.requests = requests;
        this.store = store;
        this.stats = stats;
        this.limits = new LimitsResolver(settings.limits(), settings.perChannel());
        this.ownership = ChannelOwnership.of(settings);
        this.pendingWriter = new PendingStateWriter(settings.noCaching());
        this.purge = new ChannelPurge(store);
        this.windows = new MessageWindows(settings.window().messagesPerChannel(), settings.window().totalBytes());
    }

    /** The channel, created (and stored) if new. */
    Channel channel(String name, long now, Batch batch) {
        Channel channel = channels.get(name);
        if (channel != null) {
            return channel;
        }
        String existing = channelNamesByLowerCase.get(name.toLowerCase(Locale.ROOT));
        if (existing != null) {
            throw new RequestRejected(String.format(
                    "rejecting channel %s because channel %s alreay exists (different cases not allowed)",
                    quote(name), quote(existing)));
        }
        if (settings.maxChannels() > 0 && channels.size() >= settings.maxChannels()) {
            throw new RequestRejected(ProtocolErrors.TOO_MANY_CHANNELS);
        }
        ChannelLimits channelLimits = limits.forChannel(name);
        Integer earlier = maybeStored.remove(name);
        if (earlier != null) {
            batch.onRollback(() -> maybeStored.put(name, earlier));
            if (store.channelStored(earlier)) {
                return revive(earlier, name, channelLimits, now, batch);
            }
        }
        // not stored after all: its ID is free again, unless another channel has taken the next one since
        int id = earlier != null && earlier == maxChannelId ? earlier : ++maxChannelId;
        Channel created = new Channel(id, name, channelLimits, 1, 0, windows.open(), now);
        addChannel(created);
        batch.store(new StoreOp.CreateChannel(id, name, (int) Math.min(Integer.MAX_VALUE, channelLimits.maxMsgs()),
                channelLimits.maxBytes(), channelLimits.maxAgeNanos()));
        batch.onRollback(() -> {
            // the ID stays used, and the name is remembered: a commit that failed on this side may have stored it
            removeChannel(created);
            maybeStored.put(name, id);
        });
        return created;
    }

    /** A channel an uncertain batch created after all: taken back in with what that batch stored. */
    private Channel revive(int id, String name, ChannelLimits channelLimits, long now, Batch batch) {
        Channel revived = new Channel(id, name, channelLimits, 1, store.lastSequence(id), windows.open(), now);
        addChannel(revived);
        batch.onRollback(() -> removeChannel(revived));
        return revived;
    }

    void removeChannel(Channel channel) {
        channel.releaseWindow();
        channels.remove(channel.name);
        channelNamesByLowerCase.remove(channel.name.toLowerCase(Locale.ROOT));
        stats.channels.decrementAndGet();
    }

    void addChannel(Channel channel) {
        channels.put(channel.name, channel);
        channelNamesByLowerCase.put(channel.name.toLowerCase(Locale.ROOT), channel.name);
        maxChannelId = Math.max(maxChannelId, channel.id);
        stats.channels.incrementAndGet();
    }

    void addClient(Client client) {
        clients.put(client.id(), client);
        if (!client.connId().isEmpty()) {
            clientsByConnId.put(client.connId(), client);
        }
        stats.clients.incrementAndGet();
    }

    void removeClient(Client client) {
        clients.remove(client.id());
        if (!client.connId().isEmpty()) {
            clientsByConnId.remove(client.connId());
        }
        stats.clients.decrementAndGet();
    }

    /** Makes an attached subscription reachable: acks by its ack inbox, and its client's list. */
    void goOnline(Subscription sub) {
        subscriptionsByAckInbox.put(sub.ackInbox(), sub);
        Client client = clients.get(sub.clientId());
        if (client != null) {
            client.subscriptions.add(sub);
        }
    }

    /** The reverse of {@link #goOnline}: the subscription's client is gone or closed it. */
    void goOffline(Subscription sub) {
        subscriptionsByAckInbox.remove(sub.ackInbox());
        Client client = clients.get(sub.clientId());
        if (client != null) {
            client.subscriptions.remove(sub);
        }
    }

    /** Whether the subscription's client currently fails its heartbeats (its redeliveries wait). */
    boolean failingHeartbeats(Subscription sub) {
        Client client = clients.get(sub.clientId());
        return client != null && client.failingHeartbeats();
    }

    /** A fresh ack inbox under the server's AcksSubs prefix, so one wildcard subscription receives every ack. */
    String newAckInbox() {
        return info.getAcksSubs() + "." + RandomIds.next();
    }

    /** Go's %q for the strings we quote in errors (plain names: quotes and backslashes escaped). */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
