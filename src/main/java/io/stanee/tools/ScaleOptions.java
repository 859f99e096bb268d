package io.stanee.tools;

import io.stanee.tools.CommandLine.UsageException;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of {@code scale}: which phase to run and the shape of the load (channels, publishers,
 * clients, durables, messages per channel). Option syntax as {@link BenchOptions}; the shared names (-s -c -id
 * -np -ms -mpa -timeout) mean the same.
 */
public final class ScaleOptions {

    /** The three phases a script runs around a server restart. */
    public enum Mode { LOAD, RESUME, READY }

    public static final int DEFAULT_CHANNELS = 1_000;
    public static final int DEFAULT_PUBLISHERS = 8;
    public static final int DEFAULT_CLIENTS = 300;
    public static final int DEFAULT_DURABLES = 600;
    public static final int DEFAULT_MESSAGES_PER_CHANNEL = 100;
    public static final int DEFAULT_MESSAGE_SIZE = 1024;
    public static final int DEFAULT_MAX_PUB_ACKS_IN_FLIGHT = 1_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 1_024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage:",
            "  java -jar stanee-tools.jar scale load|resume|ready [options] <channel prefix>",
            "",
            "load:   <clients> connections open <durables> durable subscriptions (manual acks), durable i on",
            "        channel <prefix>.<i mod channels> held by client i mod clients; then <np> publishers send",
            "        -n messages to every channel (asynchronously, channels in turn) and every durable receives",
            "        and acks all of its channel's messages; the connections are closed, the durables stay.",
            "resume: after a server restart, the same clients and durables come back; one message more is",
            "        published to every channel and each durable must receive exactly that one: nothing it",
            "        acked before the restart again.",
            "ready:  connects again and again until the server answers; prints the seconds since -since.",
            "Every phase prints one line 'PHASE <name> key=value ...'; the last line is 'RESULT ok=...'.",
            "",
            "Options:",
            "  -s,  --server   <url>        NATS server URL(s) (default " + CommandLine.DEFAULT_SERVER + ")",
            "  -c,  --cluster  <cluster id> NATS Streaming cluster id (default " + CommandLine.DEFAULT_CLUSTER + ")",
            "  -id, --clientid <prefix>     client id prefix (default scale); load and resume must use the same",
            "  -channels <n>                channels (default " + DEFAULT_CHANNELS + ")",
            "  -np <n>                      publisher connections (default " + DEFAULT_PUBLISHERS + ")",
            "  -clients <n>                 subscriber connections (default " + DEFAULT_CLIENTS + ")",
            "  -durables <n>                durable subscriptions (default " + DEFAULT_DURABLES + ")",
            "  -n <n>                       messages per channel (default " + DEFAULT_MESSAGES_PER_CHANNEL + ")",
            "  -ms <bytes>                  message size (default " + DEFAULT_MESSAGE_SIZE + ")",
            "  -mpa <n>                     publish acks in flight per publisher (default "
                    + DEFAULT_MAX_PUB_ACKS_IN_FLIGHT + ")",
            "  -mif <n>                     max in flight per durable (default " + DEFAULT_MAX_IN_FLIGHT + ")",
            "  -nc <n>                      NATS connections the subscribing clients share, client i on",
            "                               connection i mod n (default: each client its own, as the official",
            "                               clients do unless given one); lightens the load generator only: the",
            "                               server sees the same clients, subscriptions and messages",
            "  -lean                        load, resume: the subscribing clients speak the STAN protocol themselves",
            "                               on one NATS connection and one dispatcher thread (official clients:",
            "                               3-4 threads each); the server sees the same; -nc does not apply",
            "  -monitor <url>               the server's monitoring base (e.g. http://127.0.0.1:8222); load then",
            "                               waits until channelsz shows no pending message, so that every ack",
            "                               is stored before the script restarts the server",
            "  -pubackwait <duration>       how long a publisher waits for each ack (default 30s, the client's)",
            "  -since <epoch millis>        ready: the instant the server was started",
            "  -timeout <duration>          bound of every wait (default " + DEFAULT_TIMEOUT.toSeconds() + "s)",
            "  -h,  --help                  print this help",
            "",
            "Exit codes: 0 every check held, 1 a connect, publish, delivery or recovery check failed, 2 usage.");

    private enum Option {
        SERVER, CLUSTER, CLIENT_ID, HELP, CHANNELS, PUBLISHERS, CLIENTS, DURABLES, MESSAGES, MESSAGE_SIZE,
        MAX_PUB_ACKS, MAX_IN_FLIGHT, MONITOR, SINCE, TIMEOUT, PUB_ACK_WAIT, NATS_CONNECTIONS, LEAN
    }

    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            Map.entry("s", Option.SERVER), Map.entry("server", Option.SERVER),
            Map.entry("c", Option.CLUSTER), Map.entry("cluster", Option.CLUSTER),
            Map.entry("id", Option.CLIENT_ID), Map.entry("clientid", Option.CLIENT_ID),
            Map.entry("h", Option.HELP), Map.entry("help", Option.HELP),
            Map.entry("channels", Option.CHANNELS), Map.entry("np", Option.PUBLISHERS),
            Map.entry("clients", Option.CLIENTS), Map.entry("durables", Option.DURABLES),
            Map.entry("n", Option.MESSAGES), Map.entry("ms", Option.MESSAGE_SIZE),
            Map.entry("mpa", Option.MAX_PUB_ACKS), Map.entry("mif", Option.MAX_IN_FLIGHT),
            Map.entry("monitor", Option.MONITOR), Map.entry("since", Option.SINCE),
            Map.entry("timeout", Option.TIMEOUT), Map.entry("pubackwait", Option.PUB_ACK_WAIT),
            Map.entry("nc", Option.NATS_CONNECTIONS), Map.entry("lean", Option.LEAN));

    private Mode mode;
    private String server = CommandLine.DEFAULT_SERVER;
    private String cluster = CommandLine.DEFAULT_CLUSTER;
    private String clientIdPrefix = "scale";
    private String channelPrefix;
    private int channels = DEFAULT_CHANNELS;
    private int publishers = DEFAULT_PUBLISHERS;
    private int clients = DEFAULT_CLIENTS;
    private int durables = DEFAULT_DURABLES;
    private int messagesPerChannel = DEFAULT_MESSAGES_PER_CHANNEL;
    private int messageSize = DEFAULT_MESSAGE_SIZE;
    private int maxPubAcksInFlight = DEFAULT_MAX_PUB_ACKS_IN_FLIGHT;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int sharedNatsConnections;
    private boolean lean;
    private String monitor;
    private long sinceMillis = -1;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pubAckWait = Duration.ofSeconds(30);

    private ScaleOptions() {
    }

    /** Parses the arguments that follow {@code scale}. */
    public static ScaleOptions parse(String... args) throws UsageException {
        ScaleOptions options = new ScaleOptions();
        List<String> positionals = GoStyleArgs.scan(args, 0, OPTIONS::get, EnumSet.of(Option.HELP, Option.LEAN),
                "scale", options::apply);
        if (positionals.size() != 2) {
            throw new UsageException("scale needs a phase (load, resume or ready) and <channel prefix>");
        }
        try {
            options.mode = Mode.valueOf(positionals.get(0).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown phase '" + positionals.get(0) + "': load, resume or ready");
        }
        options.channelPrefix = positionals.get(1);
        if (options.channelPrefix.isEmpty()) {
            throw new UsageException("<channel prefix> must not be empty");
        }
        if (options.mode == Mode.READY && options.sinceMillis < 0) {
            throw new UsageException("ready needs -since <epoch millis>");
        }
        return options;
    }

    private void apply(Option option, String name, String value) throws UsageException {
        switch (option) {
            case SERVER -> server = value;
            case CLUSTER -> cluster = value;
            case CLIENT_ID -> clientIdPrefix = value;
            case HELP -> throw new UsageException(null);
            case CHANNELS -> channels = positive(name, value);
            case PUBLISHERS -> publishers = positive(name, value);
            case CLIENTS -> clients = positive(name, value);
            case DURABLES -> durables = positive(name, value);
            case MESSAGES -> messagesPerChannel = positive(name, value);
            case MESSAGE_SIZE -> messageSize = positive(name, value);
            case MAX_PUB_ACKS -> maxPubAcksInFlight = positive(name, value);
            case MAX_IN_FLIGHT -> maxInFlight = positive(name, value);
            case NATS_CONNECTIONS -> sharedNatsConnections = positive(name, value);
            case LEAN -> lean = true;
            case MONITOR -> monitor = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            case SINCE -> sinceMillis = positive(name, value, Long.MAX_VALUE);
            case TIMEOUT -> timeout = BenchOptions.parseTimeout(value);
            case PUB_ACK_WAIT -> pubAckWait = BenchOptions.parseTimeout(value);
            default -> throw new IllegalStateException(option.name());
        }
    }

    private static int positive(String name, String value) throws UsageException {
        return (int) positive(name, value, Integer.MAX_VALUE);
    }

    private static long positive(String name, String value, long max) throws UsageException {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("-" + name + " needs a whole number from 1 to " + max + ": " + value);
    }

    /** The channel durable {@code durable} subscribes to. */
    public String channelOf(int durable) {
        return channel(durable % channels);
    }

    public String channel(int index) {
        return channelPrefix + "." + index;
    }

    /** The subscriber connection that holds durable {@code durable}. */
    public int clientOf(int durable) {
        return durable % clients;
    }

    public Mode mode() {
        return mode;
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

    public int channels() {
        return channels;
    }

    public int publishers() {
        return publishers;
    }

    public int clients() {
        return clients;
    }

    public int durables() {
        return durables;
    }

    public int messagesPerChannel() {
        return messagesPerChannel;
    }

    public int messageSize() {
        return messageSize;
    }

    public int maxPubAcksInFlight() {
        return maxPubAcksInFlight;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** NATS connections shared by the subscribing clients; 0: each client opens its own. */
    public int sharedNatsConnections() {
        return sharedNatsConnections;
    }

    /**
     * Whether the subscribing clients are {@link LeanStanClients} (one NATS connection, one dispatcher thread)
     * instead of official streaming connections; -nc then does not apply. The publishers are official either way.
     */
    public boolean lean() {
        return lean;
    }

    /** {@code null} unless -monitor was given. */
    public String monitor() {
        return monitor;
    }

    public long sinceMillis() {
        return sinceMillis;
    }

    public Duration pubAckWait() {
        return pubAckWait;
    }

    public Duration timeout() {
        return timeout;
    }
}
