package io.stanee.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as the Go server writes them ("30s", "1m30s", "500ms"), so that options keep their Go
 * form; hand-written because MicroProfile Config and java.time only know ISO-8601 ("PT30S").
 */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {
    }

    public static Duration parse(String option, String text) {
        String value = text.trim();
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(value);
        double nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            nanos += Double.parseDouble(matcher.group(1)) * unitNanos(matcher.group(2));
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException(String.format(
                    "%s: %s is not a duration (examples: 30s, 1m30s, 500ms)", option, text));
        }
        return Duration.ofNanos((long) nanos);
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }
}
