package io.stanee.core;

import java.time.Duration;

/**
 * The options the core needs, named after the Go server's.
 *
 * @param clusterId {@code cluster_id}
 * @param discoverPrefix {@code discover_prefix}
 * @param maxChannels {@code max_channels}, 0 = unlimited
 * @param maxSubscriptions {@code max_subs} per channel, 0 = unlimited
 * @param maxMsgs {@code max_msgs} per channel, stored with the channel
 * @param maxBytes {@code max_bytes} per channel, stored with the channel
 * @param maxAgeNanos {@code max_age} per channel, stored with the channel
 * @param heartbeatInterval {@code hb_interval}: how often the server checks that a client is alive
 * @param heartbeatTimeout {@code hb_timeout}: how long a client has to answer
 * @param heartbeatFailCount {@code hb_fail_count}: failed heartbeats after which a client is closed
 * @param windowMessages how many recent messages per channel are kept in memory for live subscribers
 */
public record ServerSettings(String clusterId, String discoverPrefix, int maxChannels, int maxSubscriptions,
                             int maxMsgs, long maxBytes, long maxAgeNanos, Duration heartbeatInterval,
                             Duration heartbeatTimeout, int heartbeatFailCount, int windowMessages) {

    public static ServerSettings defaults(String clusterId) {
        return new ServerSettings(clusterId, "_STAN.discover", 100, 1000, 1_000_000, 1_024_000_000L, 0,
                Duration.ofSeconds(30), Duration.ofSeconds(10), 10, 4096);
    }
}
