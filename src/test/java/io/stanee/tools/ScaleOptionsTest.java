package io.stanee.tools;

import io.stanee.tools.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleOptionsTest {

    @Test
    void theDefaultsAreTheScenarioOfIssue18() throws UsageException {
        ScaleOptions options = ScaleOptions.parse("load", "scale");
        assertEquals(ScaleOptions.Mode.LOAD, options.mode());
        assertEquals(1_000, options.channels());
        assertEquals(8, options.publishers());
        assertEquals(300, options.clients());
        assertEquals(600, options.durables());
        assertEquals(100, options.messagesPerChannel());
        assertEquals(1024, options.messageSize());
        assertNull(options.monitor());
        assertEquals(0, options.sharedNatsConnections(), "each client on a NATS connection of its own");
        assertFalse(options.lean(), "the subscribers are official streaming connections");
    }

    @Test
    void leanIsASwitchForTheSubscribingClients() throws UsageException {
        assertTrue(ScaleOptions.parse("load", "-lean", "x").lean());
        assertTrue(ScaleOptions.parse("resume", "x", "--lean", "-nc", "2").lean(),
                "after the positionals, beside -nc");
        assertEquals("x.0", ScaleOptions.parse("load", "-lean", "x").channel(0),
                "-lean takes no value: 'x' stays the channel prefix");
        assertThrows(UsageException.class, () -> ScaleOptions.parse("load", "-lean=true", "x"));
        assertTrue(ScaleOptions.USAGE.contains("-lean"), ScaleOptions.USAGE);
    }

    @Test
    void durablesSpreadOverChannelsAndClients() throws UsageException {
        ScaleOptions options = ScaleOptions.parse("resume", "-channels", "4", "-clients=3", "-durables", "10", "orders");
        assertEquals("orders.1", options.channelOf(5));
        assertEquals("orders.0", options.channelOf(8));
        assertEquals(2, options.clientOf(5));
        assertEquals(0, options.clientOf(9));
    }

    @Test
    void optionsAreReadAsTheBenchReadsThem() throws UsageException {
        ScaleOptions options = ScaleOptions.parse("--monitor", "http://127.0.0.1:8222/", "load", "x",
                "-timeout", "90s", "-np", "2", "-mif", "16", "-pubackwait", "10m", "-nc", "4");
        assertEquals(4, options.sharedNatsConnections());
        assertEquals(Duration.ofMinutes(10), options.pubAckWait());
        assertEquals("http://127.0.0.1:8222", options.monitor());
        assertEquals(Duration.ofSeconds(90), options.timeout());
        assertEquals(2, options.publishers());
        assertEquals(16, options.maxInFlight());
    }

    @Test
    void readyNeedsTheStartInstant() throws UsageException {
        UsageException missing = assertThrows(UsageException.class, () -> ScaleOptions.parse("ready", "x"));
        assertTrue(missing.getMessage().contains("-since"), missing.getMessage());
        assertEquals(1_700_000_000_000L, ScaleOptions.parse("ready", "-since", "1700000000000", "x").sinceMillis());
    }

    @Test
    void wrongArgumentsAreRefused() {
        assertThrows(UsageException.class, () -> ScaleOptions.parse("load"));
        assertThrows(UsageException.class, () -> ScaleOptions.parse("restart", "x"));
        assertThrows(UsageException.class, () -> ScaleOptions.parse("load", "x", "-channels", "0"));
        assertThrows(UsageException.class, () -> ScaleOptions.parse("load", "x", "-durables", "many"));
        assertThrows(UsageException.class, () -> ScaleOptions.parse("load", "x", "-nc", "0"));
        assertTrue(assertThrows(UsageException.class, () -> ScaleOptions.parse("load", "x", "-h")).helpRequested());
    }
}
