package io.stanee.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the Go form ({@code time.ParseDuration}: "30s", "1m30s", "1.5h", "-2s", "500ms", "0"), as the
 * Go server's options and its clients' flags write them. Hand-written because java.time and MicroProfile Config
 * only read ISO-8601 ("PT30S"); the one parser of the server's options and the tools' flags.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");

    private GoDuration() {
    }

    /** Reads {@code text}; throws IllegalArgumentException with an example of the form for anything else. */
    public static Duration parse(String text) {
        String rest = text;
        boolean negative = false;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            negative = rest.charAt(0) == '-';
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            part.region(at, rest.length());
            if (!part.lookingAt()) {
                throw invalid(text);
            }
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unitNanos(part.group(2)))));
            at = part.end();
        }
        try {
            long whole = nanos.toBigInteger().longValueExact();
            return Duration.ofNanos(negative ? -whole : whole);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration out of range: " + text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration '" + text + "' (examples: 30s, 1m30s, 500ms)");
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
