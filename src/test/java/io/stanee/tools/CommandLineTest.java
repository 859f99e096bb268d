package io.stanee.tools;

import io.stanee.tools.CommandLine.Start;
import io.stanee.tools.CommandLine.Tool;
import io.stanee.tools.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void pubDefaults() throws Exception {
        CommandLine line = CommandLine.parse("pub", "foo", "hello world");
        assertEquals(Tool.PUB, line.tool());
        assertEquals("nats://127.0.0.1:4222", line.server());
        assertEquals("test-cluster", line.cluster());
        assertEquals("stan-pub", line.clientId());
        assertEquals("foo", line.channel());
        assertEquals("hello world", line.message());
        assertFalse(line.async());
    }

    @Test
    void pubShortOptions() throws Exception {
        CommandLine line = CommandLine.parse("pub", "-s", "nats://h:4223", "-c", "my-cluster", "-id", "me", "-a",
                "foo.bar", "hi");
        assertEquals("nats://h:4223", line.server());
        assertEquals("my-cluster", line.cluster());
        assertEquals("me", line.clientId());
        assertTrue(line.async());
        assertEquals("foo.bar", line.channel());
        assertEquals("hi", line.message());
    }

    @Test
    void longOptionsWithOneOrTwoDashesAndEqualsForm() throws Exception {
        CommandLine line = CommandLine.parse("pub", "--server=nats://a:1,nats://b:2", "-cluster", "c1",
                "--clientid=p1", "--async", "foo", "hi");
        assertEquals("nats://a:1,nats://b:2", line.server());
        assertEquals("c1", line.cluster());
        assertEquals("p1", line.clientId());
        assertTrue(line.async());
    }

    @Test
    void optionsMayFollowThePositionalsAndTheLastOneWins() throws Exception {
        CommandLine line = CommandLine.parse("pub", "foo", "hi", "-id", "first", "--clientid", "second");
        assertEquals("second", line.clientId());
        assertEquals("foo", line.channel());
        assertEquals("hi", line.message());
    }

    @Test
    void doubleDashEndsOptionsSoAMessageMayStartWithADash() throws Exception {
        CommandLine line = CommandLine.parse("pub", "-a", "--", "foo", "-1");
        assertTrue(line.async());
        assertEquals("foo", line.channel());
        assertEquals("-1", line.message());
    }

    @Test
    void emptyMessageIsAllowed() throws Exception {
        assertEquals("", CommandLine.parse("pub", "foo", "").message());
    }

    @Test
    void subDefaults() throws Exception {
        CommandLine line = CommandLine.parse("sub", "foo");
        assertEquals(Tool.SUB, line.tool());
        assertEquals("nats://127.0.0.1:4222", line.server());
        assertEquals("test-cluster", line.cluster());
        assertEquals("stan-sub-" + ProcessHandle.current().pid(), line.clientId());
        assertEquals("foo", line.channel());
        assertEquals(Start.NEW_ONLY, line.start());
        assertNull(line.durable());
        assertNull(line.queueGroup());
        assertFalse(line.unsubscribe());
        assertEquals(0, line.count());
        assertNull(line.message());
    }

    @Test
    void subStartPositions() throws Exception {
        assertEquals(Start.ALL, CommandLine.parse("sub", "--all", "foo").start());
        assertEquals(Start.LAST, CommandLine.parse("sub", "--last", "foo").start());
        assertEquals(Start.NEW_ONLY, CommandLine.parse("sub", "--new_only", "foo").start());

        CommandLine seq = CommandLine.parse("sub", "--seq", "42", "foo");
        assertEquals(Start.SEQUENCE, seq.start());
        assertEquals(42, seq.startSequence());

        CommandLine since = CommandLine.parse("sub", "--since=1m30s", "foo");
        assertEquals(Start.TIME_DELTA, since.start());
        assertEquals(Duration.ofSeconds(90), since.since());
    }

    @Test
    void subDurableQueueGroupUnsubscribeAndCount() throws Exception {
        CommandLine line = CommandLine.parse("sub", "-id", "s1", "--durable", "dur", "--qgroup", "q",
                "--unsubscribe", "--count", "3", "--all", "orders");
        assertEquals("s1", line.clientId());
        assertEquals("dur", line.durable());
        assertEquals("q", line.queueGroup());
        assertTrue(line.unsubscribe());
        assertEquals(3, line.count());
        assertEquals(Start.ALL, line.start());
        assertEquals("orders", line.channel());

        assertTrue(CommandLine.parse("sub", "--unsub", "--durable", "d", "foo").unsubscribe());
    }

    @Test
    void repeatingTheSameStartPositionIsFine() throws Exception {
        CommandLine line = CommandLine.parse("sub", "--seq", "1", "--seq", "7", "foo");
        assertEquals(7, line.startSequence());
    }

    @Test
    void conflictingStartPositionsAreRejected() {
        assertUsageError("choose one start position", "sub", "--all", "--last", "foo");
        assertUsageError("choose one start position", "sub", "--seq", "3", "--since", "10s", "foo");
        assertUsageError("choose one start position", "sub", "--new_only", "--all", "foo");
    }

    @Test
    void badNumbersAreRejected() {
        assertUsageError("--seq must be a sequence number of 1 or more", "sub", "--seq", "0", "foo");
        assertUsageError("--seq needs a whole number: x", "sub", "--seq", "x", "foo");
        assertUsageError("--count must be 0 or more", "sub", "--count", "-1", "foo");
        assertUsageError("--count needs a whole number: 2.5", "sub", "--count=2.5", "foo");
    }

    @Test
    void badSinceIsRejected() {
        assertUsageError("invalid duration '1hr'", "sub", "--since", "1hr", "foo");
        assertUsageError("invalid duration '10'", "sub", "--since", "10", "foo");
        assertUsageError("--since must not be negative", "sub", "--since", "-5s", "foo");
    }

    @Test
    void goDurationSyntax() throws Exception {
        assertEquals(Duration.ofSeconds(30), CommandLine.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(1), CommandLine.parseDuration("1m"));
        assertEquals(Duration.ofMinutes(90), CommandLine.parseDuration("1h30m"));
        assertEquals(Duration.ofMinutes(90), CommandLine.parseDuration("1.5h"));
        assertEquals(Duration.ofMillis(300), CommandLine.parseDuration("300ms"));
        assertEquals(Duration.ofNanos(1_500), CommandLine.parseDuration("1us500ns"));
        assertEquals(Duration.ofNanos(2_000), CommandLine.parseDuration("2\u00b5s"));
        assertEquals(Duration.ofMillis(500), CommandLine.parseDuration(".5s"));
        assertEquals(Duration.ZERO, CommandLine.parseDuration("0"));
        assertEquals(Duration.ofSeconds(-2), CommandLine.parseDuration("-2s"));
        assertThrows(UsageException.class, () -> CommandLine.parseDuration(""));
        assertThrows(UsageException.class, () -> CommandLine.parseDuration("s"));
        assertThrows(UsageException.class, () -> CommandLine.parseDuration("1d"));
        assertThrows(UsageException.class, () -> CommandLine.parseDuration("1s "));
        assertThrows(UsageException.class, () -> CommandLine.parseDuration("9999999999h"));
    }

    @Test
    void eachToolOnlyAcceptsItsOwnOptions() {
        assertUsageError("unknown option '-a' for sub", "sub", "-a", "foo");
        assertUsageError("unknown option '--all' for pub", "pub", "--all", "foo", "hi");
        assertUsageError("unknown option '--bogus' for pub", "pub", "--bogus", "foo", "hi");
    }

    @Test
    void optionValuesAreRequiredAndNonEmpty() {
        assertUsageError("option '-s' needs a value", "pub", "foo", "hi", "-s");
        assertUsageError("option '-durable' needs a non-empty value", "sub", "--durable=", "foo");
        assertUsageError("option '-id' needs a non-empty value", "sub", "-id", "", "foo");
        assertUsageError("option '-all' takes no value", "sub", "--all=true", "foo");
    }

    @Test
    void positionalsAreChecked() {
        assertUsageError("pub needs <channel> and <message>", "pub", "foo");
        assertUsageError("pub needs <channel> and <message>", "pub");
        assertUsageError("unexpected argument 'world' (quote a message that contains spaces)",
                "pub", "foo", "hello", "world");
        assertUsageError("sub needs <channel>", "sub", "--all");
        assertUsageError("unexpected argument 'bar'", "sub", "foo", "bar");
        assertUsageError("<channel> must not be empty", "sub", "");
    }

    @Test
    void commandIsRequired() {
        assertUsageError("missing command: pub or sub");
        assertUsageError("unknown command 'publish': expected pub or sub", "publish", "foo", "hi");
        assertUsageError("unknown command '-s': expected pub or sub", "-s", "nats://x:4222", "pub", "foo", "hi");
    }

    @Test
    void helpIsNotAnError() throws Exception {
        for (String[] args : new String[][] {{"-h"}, {"--help"}, {"help"}, {"pub", "-h"}, {"sub", "--all", "--help"}}) {
            UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
            assertTrue(e.helpRequested(), String.join(" ", args));
        }
    }

    @Test
    void toolsExitsWith2AndUsageOnStderrForBadArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Tools.run(new String[] {"sub", "--all", "--last", "foo"}, print(out), print(err));
        assertEquals(2, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("error: choose one start position"), error);
        assertTrue(error.contains(CommandLine.USAGE), error);
    }

    @Test
    void toolsPrintsUsageOnStdoutForHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Tools.run(new String[] {"--help"}, print(out), print(err)));
        assertEquals(CommandLine.USAGE + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsageError(String expectedStart, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args),
                () -> "expected a usage error for " + String.join(" ", args));
        assertFalse(e.helpRequested());
        assertTrue(e.getMessage().startsWith(expectedStart),
                () -> "for " + String.join(" ", args) + ": " + e.getMessage());
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
