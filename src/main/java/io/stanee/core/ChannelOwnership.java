package io.stanee.core;

import java.util.List;

/**
 * Which channels this server serves: every one, or in partitioning mode only those its configuration lists
 * ({@code stan.channels.<channel>.*}, wildcards allowed), as the Go server's {@code partitioning} option does.
 */
final class ChannelOwnership {

    private final List<String> channels;

    private ChannelOwnership(List<String> channels) {
        this.channels = channels;
    }

    static ChannelOwnership of(ServerSettings settings) {
        return new ChannelOwnership(settings.partitioning() ? settings.perChannel().keySet().stream().sorted().toList()
                : null);
    }

    boolean partitioned() {
        return channels != null;
    }

    /** The listed channels (partitioned servers only). */
    List<String> channels() {
        return channels == null ? List.of() : channels;
    }

    /** Whether a request's channel (a literal name, or a list entry of another server) is one of this server's. */
    boolean owns(String channel) {
        return channels == null || channels.stream().anyMatch(owned -> covers(owned, channel));
    }

    /** Whether a configured name (wildcards allowed) covers a channel name, whose tokens are taken literally. */
    static boolean covers(String pattern, String channel) {
        return LimitsResolver.matches(pattern.split("\\.", -1), channel.split("\\.", -1));
    }

    /** What to subscribe to for publishes: the wildcard, or one subject per listed channel. */
    List<String> publishSubjects(String publishPrefix) {
        return channels == null ? List.of(publishPrefix + ".>")
                : channels.stream().map(channel -> publishPrefix + "." + channel).toList();
    }
}
