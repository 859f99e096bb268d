package io.stanee.core;

import java.time.Duration;
import java.util.Map;

/**
 * The options the core needs, named after the Go server's.
 *
 * @param clusterId {@code cluster_id}
 * @param discoverPrefix {@code discover_prefix}
 * @param maxChannels {@code max_channels}, 0 = unlimited
 * @param limits the global channel limits ({@code max_msgs}, {@code max_bytes}, {@code max_age},
 *               {@code max_subs}, {@code max_inactivity})
 * @param perChannel per-channel overrides by channel name, wildcards allowed ({@code channels})
 * @param heartbeatInterval {@code hb_interval}: how often the server checks that a client is alive
 * @param heartbeatTimeout {@code hb_timeout}: how long a client has to answer
 * @param heartbeatFailCount {@code hb_fail_count}: failed heartbeats after which a client is closed
 * @param noCaching {@code no_caching} of the Go SQL store: subscription state committed before every reply
 * @param window how many recent messages are kept in memory for live subscribers: per channel, and in bytes over
 *               all channels
 * @param ftGroup {@code ft_group}: the fault-tolerance group this server is a member of, or "" for none
 * @param partitioning {@code partitioning}: serve only the channels of {@code perChannel}, beside other servers
 *                     of the cluster ID that serve the others
 * @param replaceDurable {@code replace_durable}: a durable registered again while online replaces the current
 *                       registration (closed as by its client, then resumed) instead of the duplicate error
 */
public record ServerSettings(String clusterId, String discoverPrefix, int maxChannels, ChannelLimits limits,
                             Map<String, ChannelLimits.Override> perChannel, Duration heartbeatInterval,
                             Duration heartbeatTimeout, int heartbeatFailCount, boolean noCaching,
                             MessageWindowLimits window, String ftGroup, boolean partitioning,
                             boolean replaceDurable) {

    /** Without {@code replace_durable} (the Go default: a duplicate durable registration is an error). */
    public ServerSettings(String clusterId, String discoverPrefix, int maxChannels, ChannelLimits limits,
                          Map<String, ChannelLimits.Override> perChannel, Duration heartbeatInterval,
                          Duration heartbeatTimeout, int heartbeatFailCount, boolean noCaching,
                          MessageWindowLimits window, String ftGroup, boolean partitioning) {
        this(clusterId, discoverPrefix, maxChannels, limits, perChannel, heartbeatInterval, heartbeatTimeout,
                heartbeatFailCount, noCaching, window, ftGroup, partitioning, false);
    }

    public boolean faultTolerant() {
        return !ftGroup.isEmpty();
    }
}
