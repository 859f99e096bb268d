package io.stanee.config;

import io.stanee.core.ChannelLimits;
import io.stanee.core.RequestLimits;
import io.stanee.core.ServerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every option of the STAN core, with the Go server's names and defaults. The NATS URL ({@code stan.nats_server})
 * is read by the resource adapter's configuration in server.xml, since the adapter owns the connection.
 */
@ApplicationScoped
public class StanConfig {

    @Inject
    @ConfigProperty(name = "stan.cluster_id", defaultValue = "test-cluster")
    String clusterId;

    @Inject
    @ConfigProperty(name = "stan.discover_prefix", defaultValue = "_STAN.discover")
    String discoverPrefix;

    @Inject
    @ConfigProperty(name = "stan.max_channels", defaultValue = "100")
    int maxChannels;

    @Inject
    @ConfigProperty(name = "stan.max_subs", defaultValue = "1000")
    int maxSubscriptions;

    @Inject
    @ConfigProperty(name = "stan.max_msgs", defaultValue = "1000000")
    long maxMsgs;

    @Inject
    @ConfigProperty(name = "stan.max_bytes", defaultValue = "1024000000")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "stan.max_age", defaultValue = "0")
    String maxAge;

    @Inject
    @ConfigProperty(name = "stan.max_inactivity", defaultValue = "0")
    String maxInactivity;

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "stan.hb_interval", defaultValue = "30s")
    String heartbeatInterval;

    @Inject
    @ConfigProperty(name = "stan.hb_timeout", defaultValue = "10s")
    String heartbeatTimeout;

    @Inject
    @ConfigProperty(name = "stan.hb_fail_count", defaultValue = "10")
    int heartbeatFailCount;

    @Inject
    @ConfigProperty(name = "stan.sql_no_caching", defaultValue = "false")
    boolean noCaching;

    /** stan-ee's own: recent messages per channel kept in memory for live subscribers. */
    @Inject
    @ConfigProperty(name = "stan.memory_window_msgs", defaultValue = "4096")
    int windowMessages;

    /** {@code ft_group}: the fault-tolerance group of servers sharing this store ("" = not in a group). */
    @Inject
    @ConfigProperty(name = "stan.ft_group")
    Optional<String> ftGroup;

    /** {@code partitioning}: serve only the channels listed in {@code stan.channels.*}. */
    @Inject
    @ConfigProperty(name = "stan.partitioning", defaultValue = "false")
    boolean partitioning;

    /**
     * {@code store}: SQL (the datasource, stan-ee's default) or MEMORY (the Go server's default: nothing is kept
     * across a restart, for trying things out). Go's names, in any case; Go's FILE store has no counterpart.
     */
    @Inject
    @ConfigProperty(name = "stan.store", defaultValue = "SQL")
    String store;

    /** Whether {@code stan.store} chooses the non-durable memory store. */
    public boolean memoryStore() {
        return switch (store.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "SQL" -> false;
            case "MEMORY" -> true;
            default -> throw new IllegalArgumentException("stan.store: \"" + store + "\" is not a store type of "
                    + "stan-ee: SQL (the datasource of server.xml) or MEMORY (not durable); the Go server's FILE "
                    + "store has no counterpart");
        };
    }

    /** {@code replace_durable}: a durable registered again while online replaces the current registration. */
    @Inject
    @ConfigProperty(name = "stan.replace_durable", defaultValue = "false")
    boolean replaceDurable;

    /** {@code encrypt}: store message payloads encrypted (Go's {@code Encrypt}). */
    @Inject
    @ConfigProperty(name = "stan.encrypt", defaultValue = "false")
    boolean encrypt;

    /** {@code encryption_cipher}: AES or CHACHA; unset picks as Go does (AES on Intel, CHACHA elsewhere). */
    @Inject
    @ConfigProperty(name = "stan.encryption_cipher")
    Optional<String> encryptionCipher;

    /** {@code encryption_key}; the environment variable {@code NATS_STREAMING_ENCRYPTION_KEY} wins over it. */
    @Inject
    @ConfigProperty(name = "stan.encryption_key")
    Optional<String> encryptionKey;

    /**
     * The store encryption options. The Go server's environment variable is read through MicroProfile Config
     * too: a process environment variable (Liberty's {@code server.env}) or a variable of the same name.
     */
    public EncryptionOptions encryption() {
        return new EncryptionOptions(encrypt, encryptionCipher.orElse(""), encryptionKey.orElse(null),
                config.getOptionalValue("NATS_STREAMING_ENCRYPTION_KEY", String.class).orElse(null));
    }

    /** stan-ee's own: how long the worker may stay inside one call before liveness reports it stuck. */
    @Inject
    @ConfigProperty(name = "stan.worker_stall_timeout", defaultValue = "60s")
    String workerStallTimeout;

    /** {@code stan.worker_stall_timeout}, positive. */
    public Duration workerStallTimeout() {
        Duration timeout = GoDurations.parse("stan.worker_stall_timeout", workerStallTimeout);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("stan.worker_stall_timeout must be positive, got " + workerStallTimeout);
        }
        return timeout;
    }

    /** stan-ee's own: the longest name (channel, client ID, durable, queue group, inbox) a request may carry. */
    @Inject
    @ConfigProperty(name = "stan.max_name_length", defaultValue = "1024")
    int maxNameLength;

    /** stan-ee's own: the most clients registered at once (0 = unlimited). */
    @Inject
    @ConfigProperty(name = "stan.max_clients", defaultValue = "10000")
    int maxClients;

    /** The limits on single requests, validated (bounds named in the error). */
    public RequestLimits requestLimits() {
        return new RequestLimits(maxNameLength, maxClients);
    }

    /** The validated settings; the Go server's error strings for bad values. */
    public ServerSettings settings() {
        requireNonNegative(maxChannels, "max channels limit cannot be negative (%d)");
        requireNonNegative(maxSubscriptions, "max subscriptions limit cannot be negative (%d)");
        requireNonNegative(maxMsgs, "max messages limit cannot be negative (%d)");
        requireNonNegative(maxBytes, "max bytes limit cannot be negative (%d)");
        Duration age = GoDurations.parse("stan.max_age", maxAge);
        Duration inactivity = GoDurations.parse("stan.max_inactivity", maxInactivity);
        ChannelLimits limits = new ChannelLimits(maxMsgs, maxBytes, age.toNanos(), maxSubscriptions,
                inactivity.toNanos());
        Map<String, ChannelLimits.Override> perChannel = PerChannelLimits.read(config);
        long literal = perChannel.keySet().stream().filter(n -> !n.contains("*") && !n.contains(">")).count();
        if (maxChannels > 0 && literal > maxChannels) {
            throw new IllegalArgumentException(String.format(
                    "too many channels defined (%d). The max channels limit is set to %d", literal, maxChannels));
        }
        if (clusterId.isBlank()) {
            throw new IllegalArgumentException("stan.cluster_id must not be empty");
        }
        if (windowMessages < 1) {
            throw new IllegalArgumentException("stan.memory_window_msgs must be at least 1");
        }
        Duration interval = GoDurations.parse("stan.hb_interval", heartbeatInterval);
        Duration timeout = GoDurations.parse("stan.hb_timeout", heartbeatTimeout);
        if (interval.isZero() || timeout.isZero() || heartbeatFailCount < 0) {
            throw new IllegalArgumentException("stan.hb_interval and stan.hb_timeout must be positive, "
                    + "stan.hb_fail_count not negative");
        }
        if (partitioning && perChannel.isEmpty()) {
            // the Go server's ErrNoChannel for a partitioned server without channels
            throw new IllegalArgumentException("stan: no configured channel (with stan.partitioning=true, "
                    + "stan.channels.<channel>.<limit> properties list the channels this server owns)");
        }
        return new ServerSettings(clusterId, discoverPrefix, maxChannels, limits, perChannel, interval, timeout,
                heartbeatFailCount, noCaching, windowMessages, ftGroup.map(String::trim).orElse(""), partitioning,
                replaceDurable);
    }

    private static void requireNonNegative(long value, String format) {
        if (value < 0) {
            throw new IllegalArgumentException(String.format(format, value));
        }
    }
}
