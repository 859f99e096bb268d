package io.stanee.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads options as text and converts them itself, so that a bad value stops the start with an
 * {@link InvalidOptionException} naming it, instead of a container error (typed injection) or, for booleans,
 * a silent false (MicroProfile Config's converter takes anything unknown for false).
 */
final class OptionReader {

    /** Sizes as the Go server's command line takes them (the NATS configuration parser): 1K = 1000, 1KB = 1024. */
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)\\s*([a-zA-Z]*)");
    private static final Map<String, Long> SIZE_UNITS = Map.of("", 1L, "k", 1_000L, "kb", 1L << 10,
            "m", 1_000_000L, "mb", 1L << 20, "g", 1_000_000_000L, "gb", 1L << 30);

    private final OptionSource source;

    OptionReader(OptionSource source) {
        this.source = source;
    }

    /** The trimmed value, or empty when the option is not set. */
    Optional<String> raw(String option) {
        return source.value(option).map(String::trim);
    }

    String text(String option, String defaultValue) {
        return raw(option).orElse(defaultValue);
    }

    boolean bool(String option, boolean defaultValue) {
        Optional<String> value = raw(option);
        if (value.isEmpty()) {
            return defaultValue;
        }
        // the values Go's strconv.ParseBool takes for its boolean flags
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "t", "1" -> true;
            case "false", "f", "0" -> false;
            default -> throw new InvalidOptionException(option, value.get(), "not a boolean (true or false)");
        };
    }

    /** A whole number of at least {@code min}; below it, {@code belowMin} (a format for the value) is the error. */
    long number(String option, long defaultValue, long min, String belowMin) {
        Optional<String> value = raw(option);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(option, value.get(), "not a whole number");
        }
        return atLeast(option, value.get(), parsed, min, belowMin);
    }

    int integer(String option, int defaultValue, int min, String belowMin) {
        long parsed = number(option, defaultValue, min, belowMin);
        if (parsed > Integer.MAX_VALUE) {
            throw new InvalidOptionException(option, raw(option).orElse(""),
                    "too large (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) parsed;
    }

    /** A number of bytes, with the Go server's units (1K = 1000, 1KB = 1024, M, MB, G, GB). */
    long size(String option, long defaultValue, String negative) {
        Optional<String> value = raw(option);
        return value.isEmpty() ? defaultValue : parseSize(option, value.get(), negative);
    }

    static long parseSize(String option, String value, String negative) {
        Matcher matcher = SIZE.matcher(value.trim());
        Long unit = matcher.matches() ? SIZE_UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new InvalidOptionException(option, value, "not a size (examples: 1024, 1K, 1KB, 10MB, 1GB)");
        }
        long parsed;
        try {
            parsed = Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidOptionException(option, value, "too large");
        }
        return atLeast(option, value, parsed, 0, negative);
    }

    /** A Go duration ("30s", "1m30s", "500ms", 0); a negative one is refused with {@code negative}. */
    Duration duration(String option, String defaultValue, String negative) {
        return parseDuration(option, text(option, defaultValue), negative);
    }

    static Duration parseDuration(String option, String value, String negative) {
        String text = value.trim();
        boolean minus = text.startsWith("-");
        Duration parsed;
        try {
            parsed = GoDurations.parse(option, minus ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, value, "not a duration (examples: 30s, 1m30s, 500ms)");
        }
        if (minus && !parsed.isZero()) {
            throw new InvalidOptionException(option, value, String.format(negative, value));
        }
        return parsed;
    }

    private static long atLeast(String option, String value, long parsed, long min, String belowMin) {
        if (parsed < min) {
            throw new InvalidOptionException(option, value, String.format(belowMin, parsed));
        }
        return parsed;
    }
}
