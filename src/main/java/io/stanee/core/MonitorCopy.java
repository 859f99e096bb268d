package io.stanee.core;

import io.stanee.core.MonitorSnapshot.ChannelView;
import io.stanee.core.MonitorSnapshot.ClientView;
import io.stanee.core.MonitorSnapshot.LimitsView;
import io.stanee.core.MonitorSnapshot.StoreLimitsView;
import io.stanee.core.MonitorSnapshot.SubscriptionView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Copies the core's state into a {@link MonitorSnapshot}; runs on the worker thread only. */
final class MonitorCopy {

    private MonitorCopy() {
    }

    static MonitorSnapshot of(ServerState state, String serverId, String stateName, Instant start,
                              StoreLimitsView limits) {
        List<ClientView> clients = new ArrayList<>(state.clients.size());
        for (Client client : state.clients.values()) {
            List<SubscriptionView> subs = new ArrayList<>(client.subscriptions.size());
            client.subscriptions.forEach(sub -> subs.add(view(sub)));
            clients.add(new ClientView(client.id(), client.info.getHbInbox(), List.copyOf(subs)));
        }
        List<ChannelView> channels = new ArrayList<>(state.channels.size());
        for (Channel channel : state.channels.values()) {
            channels.add(view(channel));
        }
        ServerStats stats = state.stats;
        return new MonitorSnapshot(Instant.now(), state.settings.clusterId(), serverId, stateName, start,
                List.copyOf(clients), List.copyOf(channels), stats.messagesIn(), stats.bytesIn(),
                stats.messagesOut(), stats.bytesOut(), limits);
    }

    /** The Go server's order: online plain and durable subscriptions, offline durables, then queue groups. */
    private static ChannelView view(Channel channel) {
        List<SubscriptionView> subs = new ArrayList<>();
        for (Subscription sub : channel.subscriptions()) {
            if (sub.isOnline()) {
                subs.add(view(sub));
            }
        }
        for (Subscription sub : channel.subscriptions()) {
            if (!sub.isOnline()) {
                subs.add(view(sub));
            }
        }
        for (QueueGroup group : channel.groups()) {
            group.members().forEach(member -> subs.add(view(member)));
            if (group.shadow() != null) {
                subs.add(view(group.shadow()));
            }
        }
        boolean neverStored = channel.last() == 0;
        return new ChannelView(channel.name, channel.count(), channel.bytes(), neverStored ? 0 : channel.first(),
                channel.last(), List.copyOf(subs), channel.id);
    }

    private static SubscriptionView view(Subscription sub) {
        boolean offline = !sub.isOnline();
        return new SubscriptionView(sub.channel.name, offline ? nonNull(sub.storedClientId()) : sub.clientId(),
                nonNull(sub.inbox()), nonNull(sub.ackInbox()), nonNull(sub.durableName),
                sub.group == null ? "" : sub.group.name, sub.durable, offline, sub.maxInFlight(),
                sub.ackWaitSeconds(), sub.lastSent(), sub.pendingCount(), sub.isStalled());
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    /** The limits as the Go server shows them after {@code StoreLimits.Build()}: inheritance applied. */
    static StoreLimitsView limits(ServerSettings settings) {
        LimitsResolver resolver = new LimitsResolver(settings.limits(), settings.perChannel());
        Map<String, LimitsView> perChannel = new TreeMap<>();
        settings.perChannel().keySet().forEach(name -> perChannel.put(name, LimitsView.of(resolver.forChannel(name))));
        return new StoreLimitsView(settings.maxChannels(), LimitsView.of(settings.limits().normalized()),
                java.util.Collections.unmodifiableMap(perChannel));
    }
}
