package io.stanee.tools;

import io.stanee.tools.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    @Test
    void defaults() throws Exception {
        BenchOptions options = BenchOptions.parse("foo");
        assertEquals("foo", options.channel());
        assertEquals("nats://127.0.0.1:4222", options.server());
        assertEquals("test-cluster", options.cluster());
        assertEquals("stan-bench-" + ProcessHandle.current().pid(), options.clientIdPrefix());
        assertEquals(1, options.publishers());
        assertEquals(0, options.subscribers());
        assertEquals(100_000, options.messages());
        assertEquals(128, options.messageSize());
        assertFalse(options.async());
        assertEquals(1024, options.maxPubAcksInFlight());
        assertFalse(options.ignoreOld());
        assertNull(options.queueGroup());
        assertNull(options.durable());
        assertEquals(Duration.ofSeconds(120), options.timeout());
    }

    @Test
    void goStyleOptions() throws Exception {
        BenchOptions options = BenchOptions.parse("-s", "nats://h:4223", "-c", "c1", "-id", "b", "-np", "4",
                "-ns", "2", "-n", "2000", "-ms", "1024", "-a", "-mpa", "64", "-io", "-qgroup", "q",
                "-durable", "d", "-timeout", "30s", "bench.chan");
        assertEquals("nats://h:4223", options.server());
        assertEquals("c1", options.cluster());
        assertEquals("b", options.clientIdPrefix());
        assertEquals(4, options.publishers());
        assertEquals(2, options.subscribers());
        assertEquals(2000, options.messages());
        assertEquals(1024, options.messageSize());
        assertTrue(options.async());
        assertEquals(64, options.maxPubAcksInFlight());
        assertTrue(options.ignoreOld());
        assertEquals("q", options.queueGroup());
        assertEquals("d", options.durable());
        assertEquals(Duration.ofSeconds(30), options.timeout());
        assertEquals("bench.chan", options.channel());
    }

    @Test
    void doubleDashesEqualsFormAndOptionsAfterTheChannel() throws Exception {
        BenchOptions options = BenchOptions.parse("--server=nats://a:1,nats://b:2", "foo", "--np=3", "--async",
                "--cluster", "c2", "--timeout=2m");
        assertEquals("nats://a:1,nats://b:2", options.server());
        assertEquals(3, options.publishers());
        assertTrue(options.async());
        assertEquals("c2", options.cluster());
        assertEquals(Duration.ofMinutes(2), options.timeout());
        assertEquals("foo", options.channel());
    }

    @Test
    void syncUndoesAsyncAndTheLastOneWins() throws Exception {
        assertFalse(BenchOptions.parse("-a", "-sync", "foo").async());
        assertTrue(BenchOptions.parse("-sync", "-a", "foo").async());
        assertEquals(5, BenchOptions.parse("-n", "1", "-n", "5", "foo").messages());
    }

    @Test
    void timeoutTakesPlainSecondsOrAGoDuration() throws Exception {
        assertEquals(Duration.ofSeconds(90), BenchOptions.parseTimeout("90"));
        assertEquals(Duration.ofSeconds(90), BenchOptions.parseTimeout("1m30s"));
        assertEquals(Duration.ofMillis(1500), BenchOptions.parseTimeout("1.5s"));
        assertUsageError("-timeout must be positive", "-timeout", "0", "foo");
        assertUsageError("-timeout must be at most 24h", "-timeout", "25h", "foo");
        assertUsageError("invalid duration 'soon'", "-timeout", "soon", "foo");
    }

    @Test
    void badValuesAreRejected() {
        assertUsageError("-n must be between 1 and 100000000: 0", "-n", "0", "foo");
        assertUsageError("-n needs a whole number: many", "-n", "many", "foo");
        assertUsageError("-ms must be between 0 and", "-ms", "-1", "foo");
        assertUsageError("-mpa must be between 1 and", "-mpa", "0", "foo");
        assertUsageError("-np must be between 0 and", "-np", "-2", "foo");
        assertUsageError("nothing to do: -np and -ns are both 0", "-np", "0", "foo");
        assertUsageError("unknown option '-x' for bench", "-x", "foo");
        assertUsageError("option '-io' takes no value", "-io=true", "foo");
        assertUsageError("option '-np' needs a value", "foo", "-np");
        assertUsageError("option '-qgroup' needs a non-empty value", "-qgroup=", "foo");
        assertUsageError("bench needs <channel>", "-a");
        assertUsageError("unexpected argument 'bar'", "foo", "bar");
        assertUsageError("<channel> must not be empty", "");
    }

    @Test
    void subscribersOnlyIsAllowed() throws Exception {
        BenchOptions options = BenchOptions.parse("-np", "0", "-ns", "2", "foo");
        assertEquals(0, options.publishers());
        assertEquals(2, options.subscribers());
    }

    @Test
    void helpIsAUsageExceptionWithoutMessage() {
        UsageException help = assertThrows(UsageException.class, () -> BenchOptions.parse("-h"));
        assertTrue(help.helpRequested());
        assertTrue(assertThrows(UsageException.class, () -> BenchOptions.parse("foo", "--help")).helpRequested());
    }

    @Test
    void splitSharesTheMessagesLikeGoAndAddsUp() {
        assertArrayEquals(new long[] {4, 3, 3}, BenchOptions.split(10, 3));
        assertArrayEquals(new long[] {100_000}, BenchOptions.split(100_000, 1));
        assertArrayEquals(new long[] {1, 1, 0, 0}, BenchOptions.split(2, 4));
        assertArrayEquals(new long[0], BenchOptions.split(5, 0));
        long[] counts = BenchOptions.split(100_003, 7);
        long sum = 0;
        for (long count : counts) {
            sum += count;
            assertTrue(count == 14_286 || count == 14_287, "uneven share " + count);
        }
        assertEquals(100_003, sum);
    }

    @Test
    void toolsDispatchesBenchAndPrintsItsHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Tools.run(new String[] {"bench", "-h"}, print(out), print(err));
        assertEquals(Tools.OK, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("java -jar stanee-tools.jar bench [options] <channel>"));

        code = Tools.run(new String[] {"bench", "-np", "x", "foo"}, print(out), print(err));
        assertEquals(Tools.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("error: -np needs a whole number: x"));
    }

    @Test
    void unreachableServerFailsWithExitCodeOneAndAResultLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // port 1 on the loopback refuses at once, so this needs no server and takes no time
        int code = Tools.run(new String[] {"bench", "-s", "nats://127.0.0.1:1", "-n", "10", "foo"},
                print(out), print(err));
        assertEquals(Tools.FAILED, code);
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.contains("RESULT "), stdout);
        assertTrue(stdout.contains(" status=failed"), stdout);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("can't connect"));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static void assertUsageError(String expectedStart, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> BenchOptions.parse(args));
        assertTrue(e.getMessage().startsWith(expectedStart), "message was: " + e.getMessage());
    }
}
