package io.stanee.config;

import io.stanee.core.ChannelLimits;
import io.stanee.protocol.ChannelNames;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-channel limits (the Go server's {@code channels} block of {@code store_limits}) from properties named
 * {@code stan.channels.<channel>.<limit>}, for example {@code stan.channels.orders.*.max_msgs=1000}. The channel
 * name may hold wildcards. As in the Go server, an explicit 0 means unlimited and an omitted limit is
 * inherited from the closest wider entry. A property of the prefix that names no known limit is an error (a
 * typo would otherwise leave the channel unlimited without a word).
 */
final class PerChannelLimits {

    static final String PREFIX = "stan.channels.";
    private static final List<String> KEYS = List.of("max_msgs", "max_bytes", "max_age", "max_subs",
            "max_inactivity");

    private PerChannelLimits() {
    }

    static Map<String, ChannelLimits.Override> read(OptionSource source) {
        Map<String, Map<String, String>> byChannel = new TreeMap<>();
        for (String property : source.names()) {
            if (!property.startsWith(PREFIX)) {
                continue;
            }
            String value = source.value(property).orElse("").trim();
            int dot = property.lastIndexOf('.');
            String key = property.substring(dot + 1);
            if (dot < PREFIX.length() || !KEYS.contains(key)) {
                throw new InvalidOptionException(property, value,
                        "not a per-channel limit (stan.channels.<channel>.<limit>, the limit one of " + KEYS + ")");
            }
            String channel = property.substring(PREFIX.length(), dot);
            if (!ChannelNames.isValidWithWildcards(channel)) {
                throw new InvalidOptionException(property, value, String.format("invalid channel name \"%s\"", channel));
            }
            byChannel.computeIfAbsent(channel, c -> new HashMap<>()).put(key, value);
        }
        Map<String, ChannelLimits.Override> limits = new HashMap<>();
        byChannel.forEach((channel, values) -> limits.put(channel, new ChannelLimits.Override(
                count(values, channel, "max_msgs"),
                size(values, channel),
                duration(values, channel, "max_age"),
                count(values, channel, "max_subs"),
                duration(values, channel, "max_inactivity"))));
        return limits;
    }

    /** Unset stays null (inherit); an explicit 0 becomes -1 (unlimited), as the Go config parser does. */
    private static Long count(Map<String, String> values, String channel, String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(PREFIX + channel + "." + key, value, "not a whole number");
        }
        if (parsed < 0) {
            throw new InvalidOptionException(PREFIX + channel + "." + key, value, "a limit cannot be negative");
        }
        return parsed == 0 ? -1L : parsed;
    }

    private static Long size(Map<String, String> values, String channel) {
        String value = values.get("max_bytes");
        if (value == null) {
            return null;
        }
        long parsed = OptionReader.parseSize(PREFIX + channel + ".max_bytes", value, "a limit cannot be negative");
        return parsed == 0 ? -1L : parsed;
    }

    private static Long duration(Map<String, String> values, String channel, String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        long nanos = OptionReader.parseDuration(PREFIX + channel + "." + key, value, "a limit cannot be negative")
                .toNanos();
        return nanos == 0 ? -1L : nanos;
    }
}
