package io.stanee.config;

import io.stanee.core.ChannelLimits;
import io.stanee.protocol.ChannelNames;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-channel limits (the Go server's {@code channels} block of {@code store_limits}) from properties named
 * {@code stan.channels.<channel>.<limit>}, for example {@code stan.channels.orders.*.max_msgs=1000}. The channel
 * name may hold wildcards. As in the Go server, an explicit 0 means unlimited and an omitted limit is
 * inherited from the closest wider entry.
 */
final class PerChannelLimits {

    static final String PREFIX = "stan.channels.";
    private static final String[] KEYS = {"max_msgs", "max_bytes", "max_age", "max_subs", "max_inactivity"};

    private PerChannelLimits() {
    }

    static Map<String, ChannelLimits.Override> read(Config config) {
        Map<String, Map<String, String>> byChannel = new TreeMap<>();
        for (String property : config.getPropertyNames()) {
            if (!property.startsWith(PREFIX)) {
                continue;
            }
            for (String key : KEYS) {
                if (property.endsWith("." + key) && property.length() > PREFIX.length() + key.length() + 1) {
                    String channel = property.substring(PREFIX.length(), property.length() - key.length() - 1);
                    byChannel.computeIfAbsent(channel, c -> new HashMap<>())
                            .put(key, config.getValue(property, String.class));
                }
            }
        }
        Map<String, ChannelLimits.Override> limits = new HashMap<>();
        byChannel.forEach((channel, values) -> {
            if (!ChannelNames.isValidWithWildcards(channel)) {
                throw new IllegalArgumentException(String.format("invalid channel name \"%s\"", channel));
            }
            limits.put(channel, new ChannelLimits.Override(
                    count(values.get("max_msgs"), channel),
                    count(values.get("max_bytes"), channel),
                    duration(values.get("max_age"), channel, "max_age"),
                    count(values.get("max_subs"), channel),
                    duration(values.get("max_inactivity"), channel, "max_inactivity")));
        });
        return limits;
    }

    /** Unset stays null (inherit); an explicit 0 becomes -1 (unlimited), as the Go config parser does. */
    private static Long count(String value, String channel) {
        if (value == null) {
            return null;
        }
        long parsed = Long.parseLong(value.trim());
        if (parsed < 0) {
            throw new IllegalArgumentException("negative limit for channel " + channel + ": " + value);
        }
        return parsed == 0 ? -1L : parsed;
    }

    private static Long duration(String value, String channel, String key) {
        if (value == null) {
            return null;
        }
        long nanos = GoDurations.parse(PREFIX + channel + "." + key, value).toNanos();
        return nanos == 0 ? -1L : nanos;
    }
}
