package io.stanee.tools;

import io.stanee.protocol.GoDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of {@code pub} or {@code sub}. Option names are the Go examples' (and, as with Go's flag
 * package, one or two leading dashes and {@code --name=value} all work), so commands copied from stan.go's
 * documentation run unchanged.
 */
public final class CommandLine {

    public enum Tool { PUB, SUB }

    public enum Start { NEW_ONLY, ALL, LAST, SEQUENCE, TIME_DELTA }

    public static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";
    public static final String DEFAULT_CLUSTER = "test-cluster";
    public static final String DEFAULT_PUB_CLIENT_ID = "stan-pub";

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage:",
            "  java -jar stanee-tools.jar pub [options] <channel> <message>",
            "  java -jar stanee-tools.jar sub [options] <channel>",
            "",
            "Options:",
            "  -s,  --server   <url>        NATS server URL(s), comma-separated (default " + DEFAULT_SERVER + ")",
            "  -c,  --cluster  <cluster id> NATS Streaming cluster id (default " + DEFAULT_CLUSTER + ")",
            "  -id, --clientid <client id>  client id (default " + DEFAULT_PUB_CLIENT_ID
                    + " for pub, stan-sub-<pid> for sub)",
            "  -h,  --help                  print this help",
            "",
            "Publish options:",
            "  -a,  --async                 publish asynchronously, then wait for the ack",
            "",
            "Subscribe options:",
            "  --new_only                   deliver only messages published from now on (the default)",
            "  --all                        deliver all available messages",
            "  --last                       start with the last published message",
            "  --since   <duration>         deliver messages from the last <duration> (e.g. 30s, 1m, 1h30m)",
            "  --seq     <seqno>            start at sequence <seqno>",
            "  --durable <name>             durable subscription name",
            "  --qgroup  <name>             queue group name",
            "  --unsubscribe                remove the durable subscription at exit (default: keep it)",
            "  --count   <n>                exit after <n> messages (default 0: run until Ctrl-C)",
            "",
            "Use -- before a <message> that starts with '-'.");

    /** Thrown for arguments that cannot run; a {@code null} message means help was asked for. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }

        public boolean helpRequested() {
            return getMessage() == null;
        }
    }

    private enum Option {
        SERVER, CLUSTER, CLIENT_ID, HELP,
        ASYNC,
        NEW_ONLY, ALL, LAST, SINCE, SEQ,
        DURABLE, QGROUP, UNSUBSCRIBE, COUNT
    }

    private static final Set<Option> SWITCHES = EnumSet.of(Option.HELP, Option.ASYNC, Option.NEW_ONLY, Option.ALL,
            Option.LAST, Option.UNSUBSCRIBE);

    private static final Map<String, Option> COMMON = Map.of(
            "s", Option.SERVER, "server", Option.SERVER,
            "c", Option.CLUSTER, "cluster", Option.CLUSTER,
            "id", Option.CLIENT_ID, "clientid", Option.CLIENT_ID,
            "h", Option.HELP, "help", Option.HELP);

    private static final Map<String, Option> PUB = Map.of(
            "a", Option.ASYNC, "async", Option.ASYNC);

    // "unsub" is the Go example's other spelling of --unsubscribe
    private static final Map<String, Option> SUB = Map.ofEntries(
            Map.entry("new_only", Option.NEW_ONLY), Map.entry("all", Option.ALL), Map.entry("last", Option.LAST),
            Map.entry("since", Option.SINCE), Map.entry("seq", Option.SEQ),
            Map.entry("durable", Option.DURABLE), Map.entry("qgroup", Option.QGROUP),
            Map.entry("unsubscribe", Option.UNSUBSCRIBE), Map.entry("unsub", Option.UNSUBSCRIBE),
            Map.entry("count", Option.COUNT));

    private final Tool tool;
    private String server = DEFAULT_SERVER;
    private String cluster = DEFAULT_CLUSTER;
    private String clientId;
    private String channel;
    private String message;
    private boolean async;
    private Start start;
    private long startSequence;
    private Duration since;
    private String durable;
    private String queueGroup;
    private boolean unsubscribe;
    private long count;

    private CommandLine(Tool tool) {
        this.tool = tool;
        // a pid suffix so that two subscribers started with defaults do not collide on the client id
        this.clientId = tool == Tool.PUB ? DEFAULT_PUB_CLIENT_ID : "stan-sub-" + ProcessHandle.current().pid();
    }

    /** Parses {@code pub|sub [options] <channel> [<message>]}; options may also follow the positionals. */
    public static CommandLine parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("missing command: pub or sub");
        }
        CommandLine line;
        switch (args[0]) {
            case "pub" -> line = new CommandLine(Tool.PUB);
            case "sub" -> line = new CommandLine(Tool.SUB);
            case "-h", "--help", "-help", "help" -> throw new UsageException(null);
            default -> throw new UsageException("unknown command '" + args[0] + "': expected pub or sub");
        }
        line.parseRest(args);
        return line;
    }

    private void parseRest(String[] args) throws UsageException {
        List<String> positionals = GoStyleArgs.scan(args, 1, this::lookup, SWITCHES, tool.name().toLowerCase(), this::apply);
        applyPositionals(positionals);
        if (start == null) {
            start = Start.NEW_ONLY;
        }
    }

    private Option lookup(String name) {
        Option option = COMMON.get(name);
        if (option == null) {
            option = (tool == Tool.PUB ? PUB : SUB).get(name);
        }
        return option;
    }

    private void apply(Option option, String name, String value) throws UsageException {
        switch (option) {
            case SERVER -> server = value;
            case CLUSTER -> cluster = value;
            case CLIENT_ID -> clientId = value;
            case HELP -> throw new UsageException(null);
            case ASYNC -> async = true;
            case NEW_ONLY -> startAt(Start.NEW_ONLY);
            case ALL -> startAt(Start.ALL);
            case LAST -> startAt(Start.LAST);
            case SINCE -> {
                startAt(Start.TIME_DELTA);
                since = parseDuration(value);
                if (since.isNegative()) {
                    throw new UsageException("--since must not be negative: " + value);
                }
            }
            case SEQ -> {
                startAt(Start.SEQUENCE);
                startSequence = parseLong(name, value);
                if (startSequence < 1) {
                    throw new UsageException("--seq must be a sequence number of 1 or more: " + value);
                }
            }
            case DURABLE -> durable = value;
            case QGROUP -> queueGroup = value;
            case UNSUBSCRIBE -> unsubscribe = true;
            case COUNT -> {
                count = parseLong(name, value);
                if (count < 0) {
                    throw new UsageException("--count must be 0 or more: " + value);
                }
            }
            default -> throw new IllegalStateException(option.name());
        }
    }

    // Go's example silently lets one start option win over another; asking the user is less surprising.
    private void startAt(Start requested) throws UsageException {
        if (start != null && start != requested) {
            throw new UsageException("choose one start position: --new_only, --all, --last, --since or --seq");
        }
        start = requested;
    }

    private void applyPositionals(List<String> positionals) throws UsageException {
        int expected = tool == Tool.PUB ? 2 : 1;
        if (positionals.size() < expected) {
            throw new UsageException(tool == Tool.PUB ? "pub needs <channel> and <message>" : "sub needs <channel>");
        }
        if (positionals.size() > expected) {
            throw new UsageException("unexpected argument '" + positionals.get(expected) + "'"
                    + (tool == Tool.PUB ? " (quote a message that contains spaces)" : ""));
        }
        channel = positionals.get(0);
        if (channel.isEmpty()) {
            throw new UsageException("<channel> must not be empty");
        }
        if (tool == Tool.PUB) {
            message = positionals.get(1);
        }
    }

    private static long parseLong(String name, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a whole number: " + value);
        }
    }

    /** Go's time.ParseDuration syntax, since that is what stan-sub's --since takes: "300ms", "1.5h", "1h30m". */
    public static Duration parseDuration(String text) throws UsageException {
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    public Tool tool() {
        return tool;
    }

    public String server() {
        return server;
    }

    public String cluster() {
        return cluster;
    }

    public String clientId() {
        return clientId;
    }

    public String channel() {
        return channel;
    }

    /** pub only. */
    public String message() {
        return message;
    }

    /** pub only. */
    public boolean async() {
        return async;
    }

    public Start start() {
        return start;
    }

    /** Meaningful when {@link #start()} is {@link Start#SEQUENCE}. */
    public long startSequence() {
        return startSequence;
    }

    /** Meaningful when {@link #start()} is {@link Start#TIME_DELTA}. */
    public Duration since() {
        return since;
    }

    /** {@code null} for a non-durable subscription. */
    public String durable() {
        return durable;
    }

    /** {@code null} for a plain (non-queue) subscription. */
    public String queueGroup() {
        return queueGroup;
    }

    public boolean unsubscribe() {
        return unsubscribe;
    }

    /** 0 means until interrupted. */
    public long count() {
        return count;
    }
}
