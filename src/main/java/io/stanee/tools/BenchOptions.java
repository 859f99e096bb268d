package io.stanee.tools;

import io.stanee.tools.CommandLine.UsageException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of {@code bench}. Option names and meanings are those of the Go client's
 * {@code stan-bench} where it has them (-s -c -id -np -ns -n -ms -mpa -io -qgroup -sync), written the way
 * {@link CommandLine} accepts them: one or two leading dashes, {@code -name value} or {@code -name=value}.
 * Defaults differ from Go's where noted in {@link #USAGE}: one publisher, synchronous publishing unless
 * {@code -a}, 1024 acks in flight.
 */
public final class BenchOptions {

    public static final int DEFAULT_PUBLISHERS = 1;
    public static final int DEFAULT_SUBSCRIBERS = 0;
    public static final long DEFAULT_MESSAGES = 100_000;
    public static final int DEFAULT_MESSAGE_SIZE = 128;
    public static final int DEFAULT_MAX_PUB_ACKS_IN_FLIGHT = 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Keeps deadlines ({@code System.nanoTime() + timeout}) far from overflowing. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /**
     * Latencies are kept one {@code long} per message (see {@link LatencyRecorder}), so the count is bounded to
     * keep that array, and the int index into it, reasonable: 100 million messages is 800 MB of latencies.
     */
    public static final long MAX_MESSAGES = 100_000_000L;

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage:",
            "  java -jar stanee-tools.jar bench [options] <channel>",
            "",
            "Subscribers subscribe first, then the publishers split the message count and publish concurrently.",
            "Every subscriber expects every message (with -qgroup the group shares them). Use a fresh channel.",
            "",
            "Options:",
            "  -s,  --server   <url>        NATS server URL(s), comma-separated (default "
                    + CommandLine.DEFAULT_SERVER + ")",
            "  -c,  --cluster  <cluster id> NATS Streaming cluster id (default " + CommandLine.DEFAULT_CLUSTER + ")",
            "  -id, --clientid <prefix>     client id prefix; clients are <prefix>-pub-<i> and <prefix>-sub-<i>",
            "                               (default stan-bench-<pid>)",
            "  -np  <n>                     number of publishers (default " + DEFAULT_PUBLISHERS + ")",
            "  -ns  <n>                     number of subscribers (default " + DEFAULT_SUBSCRIBERS + ")",
            "  -n   <n>                     number of messages to publish, split among publishers (default "
                    + DEFAULT_MESSAGES + ")",
            "  -ms  <bytes>                 message size (default " + DEFAULT_MESSAGE_SIZE + ")",
            "  -a,  --async                 publish asynchronously (ack handler) instead of one blocking publish",
            "                               at a time (note: Go's stan-bench is async unless -sync)",
            "  -sync                        publish synchronously (the default; accepted for Go compatibility)",
            "  -mpa <n>                     max published acks in flight per publisher, with -a (default "
                    + DEFAULT_MAX_PUB_ACKS_IN_FLIGHT + ")",
            "  -io                          subscribers ignore old messages (new only; default: deliver all)",
            "  -qgroup  <name>              subscribers join this queue group",
            "  -durable <name>              subscribers are durable with this name (removed again at the end)",
            "  -timeout <duration>          give up when publishing and receiving take longer, e.g. 90s, 2m",
            "                               or plain seconds (default " + DEFAULT_TIMEOUT.toSeconds() + "s)",
            "  -h,  --help                  print this help",
            "",
            "Exit codes: 0 all messages acked without error and received by every subscriber in time,",
            "1 a connect, publish or receive failed or timed out, 2 wrong arguments.",
            "The last line on stdout is machine-readable: RESULT key=value ...");

    private enum Option {
        SERVER, CLUSTER, CLIENT_ID, HELP,
        PUBLISHERS, SUBSCRIBERS, MESSAGES, MESSAGE_SIZE,
        ASYNC, SYNC, MAX_PUB_ACKS, IGNORE_OLD,
        QGROUP, DURABLE, TIMEOUT
    }

    private static final Set<Option> SWITCHES = EnumSet.of(Option.HELP, Option.ASYNC, Option.SYNC, Option.IGNORE_OLD);

    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            Map.entry("s", Option.SERVER), Map.entry("server", Option.SERVER),
            Map.entry("c", Option.CLUSTER), Map.entry("cluster", Option.CLUSTER),
            Map.entry("id", Option.CLIENT_ID), Map.entry("clientid", Option.CLIENT_ID),
            Map.entry("h", Option.HELP), Map.entry("help", Option.HELP),
            Map.entry("np", Option.PUBLISHERS), Map.entry("ns", Option.SUBSCRIBERS),
            Map.entry("n", Option.MESSAGES), Map.entry("ms", Option.MESSAGE_SIZE),
            Map.entry("a", Option.ASYNC), Map.entry("async", Option.ASYNC), Map.entry("sync", Option.SYNC),
            Map.entry("mpa", Option.MAX_PUB_ACKS), Map.entry("io", Option.IGNORE_OLD),
            Map.entry("qgroup", Option.QGROUP), Map.entry("durable", Option.DURABLE),
            Map.entry("timeout", Option.TIMEOUT));

    private String server = CommandLine.DEFAULT_SERVER;
    private String cluster = CommandLine.DEFAULT_CLUSTER;
    // the pid keeps two benchmarks started with defaults from colliding on client ids
    private String clientIdPrefix = "stan-bench-" + ProcessHandle.current().pid();
    private String channel;
    private int publishers = DEFAULT_PUBLISHERS;
    private int subscribers = DEFAULT_SUBSCRIBERS;
    private long messages = DEFAULT_MESSAGES;
    private int messageSize = DEFAULT_MESSAGE_SIZE;
    private boolean async;
    private int maxPubAcksInFlight = DEFAULT_MAX_PUB_ACKS_IN_FLIGHT;
    private boolean ignoreOld;
    private String queueGroup;
    private String durable;
    private Duration timeout = DEFAULT_TIMEOUT;

    private BenchOptions() {
    }

    /** Parses the arguments that follow {@code bench}; options may also follow the channel. */
    public static BenchOptions parse(String... args) throws UsageException {
        BenchOptions options = new BenchOptions();
        List<String> positionals = GoStyleArgs.scan(args, 0, OPTIONS::get, SWITCHES, "bench", options::apply);
        if (positionals.isEmpty()) {
            throw new UsageException("bench needs <channel>");
        }
        if (positionals.size() > 1) {
            throw new UsageException("unexpected argument '" + positionals.get(1) + "'");
        }
        options.channel = positionals.get(0);
        if (options.channel.isEmpty()) {
            throw new UsageException("<channel> must not be empty");
        }
        options.validate();
        return options;
    }

    private void apply(Option option, String name, String value) throws UsageException {
        switch (option) {
            case SERVER -> server = value;
            case CLUSTER -> cluster = value;
            case CLIENT_ID -> clientIdPrefix = value;
            case HELP -> throw new UsageException(null);
            case PUBLISHERS -> publishers = parseInt(name, value, 0);
            case SUBSCRIBERS -> subscribers = parseInt(name, value, 0);
            case MESSAGES -> messages = parseLong(name, value, 1, MAX_MESSAGES);
            case MESSAGE_SIZE -> messageSize = parseInt(name, value, 0);
            case ASYNC -> async = true;
            case SYNC -> async = false;
            case MAX_PUB_ACKS -> maxPubAcksInFlight = parseInt(name, value, 1);
            case IGNORE_OLD -> ignoreOld = true;
            case QGROUP -> queueGroup = value;
            case DURABLE -> durable = value;
            case TIMEOUT -> timeout = parseTimeout(value);
            default -> throw new IllegalStateException(option.name());
        }
    }

    private void validate() throws UsageException {
        if (publishers + (long) subscribers == 0) {
            throw new UsageException("nothing to do: -np and -ns are both 0");
        }
    }

    private static int parseInt(String name, String value, int min) throws UsageException {
        return (int) parseLong(name, value, min, Integer.MAX_VALUE);
    }

    private static long parseLong(String name, String value, long min, long max) throws UsageException {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("-" + name + " needs a whole number: " + value);
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("-" + name + " must be between " + min + " and " + max + ": " + value);
        }
        return parsed;
    }

    /** A Go duration ("90s", "2m", "1m30s") or, for convenience, plain seconds ("120"). */
    static Duration parseTimeout(String value) throws UsageException {
        Duration parsed;
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                parsed = Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new UsageException("-timeout out of range: " + value);
            }
        } else {
            parsed = CommandLine.parseDuration(value);
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new UsageException("-timeout must be positive: " + value);
        }
        if (parsed.compareTo(MAX_TIMEOUT) > 0) {
            throw new UsageException("-timeout must be at most " + MAX_TIMEOUT.toHours() + "h: " + value);
        }
        return parsed;
    }

    /**
     * How many messages each of {@code parts} publishers sends: the quotient each, the first {@code total % parts}
     * one more (as Go's bench.MsgsPerClient), so the counts add up to {@code total} exactly.
     */
    public static long[] split(long total, int parts) {
        if (parts <= 0) {
            return new long[0];
        }
        long[] counts = new long[parts];
        long each = total / parts;
        long extra = total % parts;
        for (int i = 0; i < parts; i++) {
            counts[i] = each + (i < extra ? 1 : 0);
        }
        return counts;
    }

    public String server() {
        return server;
    }

    public String cluster() {
        return cluster;
    }

    public String clientIdPrefix() {
        return clientIdPrefix;
    }

    public String channel() {
        return channel;
    }

    public int publishers() {
        return publishers;
    }

    public int subscribers() {
        return subscribers;
    }

    public long messages() {
        return messages;
    }

    public int messageSize() {
        return messageSize;
    }

    public boolean async() {
        return async;
    }

    public int maxPubAcksInFlight() {
        return maxPubAcksInFlight;
    }

    public boolean ignoreOld() {
        return ignoreOld;
    }

    /** {@code null} when the subscribers are independent. */
    public String queueGroup() {
        return queueGroup;
    }

    /** {@code null} for non-durable subscribers. */
    public String durable() {
        return durable;
    }

    public Duration timeout() {
        return timeout;
    }
}
