package io.stanee.config;

import io.stanee.core.ChannelLimits;
import io.stanee.core.MessageWindowLimits;
import io.stanee.core.RequestLimits;
import io.stanee.core.ServerSettings;
import io.stanee.protocol.ChannelNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every option of the STAN core, with the Go server's names and defaults, read and validated at start-up: an
 * invalid value stops the start with one {@link InvalidOptionException} naming the option and the value (the
 * Go server's words where it has a check). The NATS URL ({@code stan.nats_server}) is read by the resource
 * adapter's configuration in server.xml, since the adapter owns the connection; {@code stan.db} picks the
 * datasource file in server.xml and is checked here too.
 */
@ApplicationScoped
public class StanConfig {

    /** The files of liberty/datasources: what {@code stan.db} may name. */
    static final List<String> DATABASES = List.of("derby", "postgres", "mysql", "postgres-ha");
    /**
     * 32 MiB of recent messages over all channels: seven channels' full windows of 4,096 x 1 KB, and small
     * beside the 512 MB heap of liberty/jvm.options (64 MiB put the 1,000-channel benchmark's peak RSS at 506 MB,
     * 32 MiB at 471 MB, at the same publish rate).
     */
    static final long DEFAULT_WINDOW_BYTES = 32L * 1024 * 1024;
    private static final String NEGATIVE_CHANNELS = "max channels limit cannot be negative (%d)";

    @Inject
    Config config;

    /** The validated settings. */
    public ServerSettings settings() {
        return read(OptionSource.of(config));
    }

    /**
     * {@code stan.store}: SQL (the datasource, stan-ee's default) or MEMORY (the Go server's default: nothing is
     * kept across a restart, for trying things out). Go's names, in any case.
     */
    public boolean memoryStore() {
        OptionReader options = new OptionReader(OptionSource.of(config));
        checkStore(options);
        return options.raw("stan.store").map(store -> store.trim().equalsIgnoreCase("MEMORY")).orElse(false);
    }

    /**
     * The store encryption options (Go's {@code encrypt}, {@code encryption_cipher}, {@code encryption_key}). The Go
     * server's environment variable is read through MicroProfile Config too: a process environment variable
     * (Liberty's {@code server.env}) or a variable of the same name.
     */
    public EncryptionOptions encryption() {
        OptionReader options = new OptionReader(OptionSource.of(config));
        return new EncryptionOptions(options.bool("stan.encrypt", false),
                options.raw("stan.encryption_cipher").orElse(""), options.raw("stan.encryption_key").orElse(null),
                config.getOptionalValue("NATS_STREAMING_ENCRYPTION_KEY", String.class).orElse(null));
    }

    /** stan-ee's own {@code stan.worker_stall_timeout}: how long the worker may stay in one call and be live. */
    public Duration workerStallTimeout() {
        return positive(new OptionReader(OptionSource.of(config)), "stan.worker_stall_timeout", "60s");
    }

    /**
     * stan-ee's own {@code stan.max_channel_gauges}: how many channels get their per-channel gauges in /metrics
     * (default 100, the default channel limit; 0: none). Liberty's metric registry checks each new gauge against
     * every gauge of its name, so registering grows with the square of the channels (about 10 s of CPU for
     * 2,000 channels): a server with thousands of channels keeps their figures in channelsz instead.
     */
    public int maxChannelGauges() {
        return new OptionReader(OptionSource.of(config)).integer("stan.max_channel_gauges", 100, 0,
                "cannot be negative (%d)");
    }

    /** stan-ee's own limits on single requests: {@code stan.max_name_length}, {@code stan.max_clients}. */
    public RequestLimits requestLimits() {
        OptionReader options = new OptionReader(OptionSource.of(config));
        int maxNameLength = options.integer("stan.max_name_length", RequestLimits.SCHEMA_NAME_LENGTH, 1,
                "must be at least 1 (%d)");
        if (maxNameLength > RequestLimits.SCHEMA_NAME_LENGTH) {
            throw new InvalidOptionException("stan.max_name_length", String.valueOf(maxNameLength), "at most "
                    + RequestLimits.SCHEMA_NAME_LENGTH + " (the schema's VARCHAR columns)");
        }
        return new RequestLimits(maxNameLength, options.integer("stan.max_clients", RequestLimits.DEFAULT_MAX_CLIENTS,
                0, "cannot be negative (%d)"));
    }

    /** The settings of an empty configuration: every option at its default. */
    public static ServerSettings defaults() {
        return read(OptionSource.of(Map.of()));
    }

    static ServerSettings read(OptionSource source) {
        OptionReader options = new OptionReader(source);
        String clusterId = subjectToken(options, "stan.cluster_id", "test-cluster");
        String discoverPrefix = subjectToken(options, "stan.discover_prefix", "_STAN.discover");
        checkStore(options);
        int maxChannels = options.integer("stan.max_channels", 100, 0, NEGATIVE_CHANNELS);
        int maxSubscriptions = options.integer("stan.max_subs", 1000, 0,
                "max subscriptions limit cannot be negative (%d)");
        long maxMsgs = options.number("stan.max_msgs", 1_000_000, 0, "max messages limit cannot be negative (%d)");
        long maxBytes = options.size("stan.max_bytes", 1_024_000_000L, "max bytes limit cannot be negative (%d)");
        Duration age = options.duration("stan.max_age", "0", "max age limit cannot be negative (%s)");
        Duration inactivity = options.duration("stan.max_inactivity", "0",
                "max inactivity limit cannot be negative (%s)");
        ChannelLimits limits = new ChannelLimits(maxMsgs, maxBytes, age.toNanos(), maxSubscriptions,
                inactivity.toNanos());
        Map<String, ChannelLimits.Override> perChannel = PerChannelLimits.read(source);
        long literal = perChannel.keySet().stream().filter(n -> !n.contains("*") && !n.contains(">")).count();
        if (maxChannels > 0 && literal > maxChannels) {
            throw new InvalidOptionException("stan.max_channels", String.valueOf(maxChannels), String.format(
                    "too many channels defined (%d). The max channels limit is set to %d", literal, maxChannels));
        }
        Duration interval = positive(options, "stan.hb_interval", "30s");
        Duration timeout = positive(options, "stan.hb_timeout", "10s");
        int failCount = options.integer("stan.hb_fail_count", 10, 0, "cannot be negative (%d)");
        boolean noCaching = options.bool("stan.sql_no_caching", false);
        MessageWindowLimits window = new MessageWindowLimits(
                options.integer("stan.memory_window_msgs", 4096, 1, "must be at least 1 (%d)"),
                options.size("stan.memory_window_bytes", DEFAULT_WINDOW_BYTES, "cannot be negative (%d)"));
        String ftGroup = options.raw("stan.ft_group").orElse("");
        if (!ftGroup.isEmpty()) {
            subjectToken(options, "stan.ft_group", "");
        }
        boolean partitioning = options.bool("stan.partitioning", false);
        if (partitioning && perChannel.isEmpty()) {
            // the Go server's ErrNoChannel for a partitioned server without channels
            throw new InvalidOptionException("stan.partitioning", options.raw("stan.partitioning").orElse(""),
                    "stan: no configured channel (a partitioned server serves the channels listed by "
                            + "stan.channels.<channel>.<limit> properties, and there are none)");
        }
        boolean replaceDurable = options.bool("stan.replace_durable", false);
        return new ServerSettings(clusterId, discoverPrefix, maxChannels, limits, perChannel, interval, timeout,
                failCount, noCaching, window, ftGroup, partitioning, replaceDurable);
    }

    /**
     * {@code stan.store} (Go's {@code store}): the Go server takes FILE, MEMORY or SQL; stan-ee has SQL and
     * MEMORY (a Go configuration saying {@code store: sql} carries over as it is).
     */
    private static void checkStore(OptionReader options) {
        options.raw("stan.store").ifPresent(store -> {
            switch (store.toUpperCase(Locale.ROOT)) {
                case "SQL", "MEMORY" -> { }
                case "FILE" -> throw new InvalidOptionException("stan.store", store, "stan-ee has no file store: "
                        + "SQL (the datasource of server.xml; stan.db picks the database) or MEMORY (not durable)");
                default -> throw new InvalidOptionException("stan.store", store, "unknown store type: " + store);
            }
        });
        options.raw("stan.db").ifPresent(db -> {
            if (!DATABASES.contains(db)) {
                throw new InvalidOptionException("stan.db", db, "not one of " + DATABASES
                        + " (the datasources stan-ee has)");
            }
        });
    }

    /** Part of a NATS subject (cluster ID, discovery prefix, FT group): no wildcards, spaces or empty tokens. */
    private static String subjectToken(OptionReader options, String option, String defaultValue) {
        String value = options.text(option, defaultValue);
        if (!ChannelNames.isValidLiteral(value) || value.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidOptionException(option, value,
                    "not usable in a NATS subject (no spaces, no wildcards, no empty token)");
        }
        return value;
    }

    private static Duration positive(OptionReader options, String option, String defaultValue) {
        Duration duration = options.duration(option, defaultValue, "cannot be negative (%s)");
        if (duration.isZero()) {
            throw new InvalidOptionException(option, options.text(option, defaultValue), "must be more than 0");
        }
        return duration;
    }
}
