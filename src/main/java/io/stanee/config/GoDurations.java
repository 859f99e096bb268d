package io.stanee.config;

import io.stanee.protocol.GoDuration;

import java.time.Duration;

/**
 * A duration option in its Go form ("30s", "1m30s", "500ms"; see {@link GoDuration}, the one parser), named in
 * the error when it is not one. Options take no negative durations.
 */
public final class GoDurations {

    private GoDurations() {
    }

    public static Duration parse(String option, String text) {
        Duration duration;
        try {
            duration = GoDuration.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(
                    "%s: %s is not a duration (examples: 30s, 1m30s, 500ms)", option, text));
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(String.format("%s: %s must not be negative", option, text));
        }
        return duration;
    }
}
