package io.stanee.config;

import io.stanee.core.ChannelLimits;
import io.stanee.core.MessageWindowLimits;
import io.stanee.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up validation of the options: each kind of bad value stops the start with one message naming the
 * option and the value (the Go server's words where it has the check), and good values of every kind come
 * through converted.
 */
class StanConfigTest {

    private static ServerSettings read(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return StanConfig.read(OptionSource.of(values));
    }

    private static String refusal(String... pairs) {
        return assertThrows(InvalidOptionException.class, () -> read(pairs)).getMessage();
    }

    @Test
    void withoutOptionsTheGoDefaults() {
        ServerSettings settings = read();
        assertEquals("test-cluster", settings.clusterId());
        assertEquals("_STAN.discover", settings.discoverPrefix());
        assertEquals(100, settings.maxChannels());
        assertEquals(new ChannelLimits(1_000_000, 1_024_000_000L, 0, 1000, 0), settings.limits());
        assertEquals(Duration.ofSeconds(30), settings.heartbeatInterval());
        assertEquals(Duration.ofSeconds(10), settings.heartbeatTimeout());
        assertEquals(10, settings.heartbeatFailCount());
        assertFalse(settings.noCaching());
        assertEquals(new MessageWindowLimits(4096, 32L * 1024 * 1024), settings.window());
        assertEquals("", settings.ftGroup());
        assertFalse(settings.partitioning());
        assertFalse(settings.replaceDurable());
        assertEquals(StanConfig.defaults(), settings);
    }

    @Test
    void goodValuesOfEveryKindAreConverted() {
        ServerSettings settings = read("stan.cluster_id", "prod", "stan.max_bytes", "1GB", "stan.max_msgs", "500",
                "stan.max_age", "1h30m", "stan.hb_interval", "500ms", "stan.hb_fail_count", "0",
                "stan.sql_no_caching", "TRUE", "stan.replace_durable", "true", "stan.partitioning", "t",
                "stan.channels.orders.max_bytes", "10K", "stan.store", "sql", "stan.db", "postgres-ha",
                "stan.ft_group", " group-1 ", "stan.memory_window_bytes", "16MB", "stan.memory_window_msgs", "100");
        assertEquals("prod", settings.clusterId());
        assertEquals(new MessageWindowLimits(100, 16L << 20), settings.window());
        assertEquals(1L << 30, settings.limits().maxBytes());
        assertEquals(500, settings.limits().maxMsgs());
        assertEquals(Duration.ofMinutes(90).toNanos(), settings.limits().maxAgeNanos());
        assertEquals(Duration.ofMillis(500), settings.heartbeatInterval());
        assertEquals(0, settings.heartbeatFailCount());
        assertTrue(settings.noCaching());
        assertTrue(settings.replaceDurable());
        assertTrue(settings.partitioning());
        assertEquals(10_000L, settings.perChannel().get("orders").maxBytes(), "1K = 1000 as in the Go server");
        assertEquals("group-1", settings.ftGroup());
    }

    @Test
    void aBadDurationNamesTheOptionAndTheValue() {
        assertEquals("stan: invalid value \"abc\" for option stan.hb_interval: not a duration "
                + "(examples: 30s, 1m30s, 500ms)", refusal("stan.hb_interval", "abc"));
        assertEquals("stan: invalid value \"10\" for option stan.hb_timeout: not a duration "
                + "(examples: 30s, 1m30s, 500ms)", refusal("stan.hb_timeout", "10"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            // the Go server's StoreLimits checks, word for word after the colon
            "stan.max_channels    | -1     | max channels limit cannot be negative (-1)",
            "stan.max_subs        | -2     | max subscriptions limit cannot be negative (-2)",
            "stan.max_msgs        | -5     | max messages limit cannot be negative (-5)",
            "stan.max_bytes       | -1     | max bytes limit cannot be negative (-1)",
            "stan.max_age         | -1s    | max age limit cannot be negative (-1s)",
            "stan.max_inactivity  | -2m    | max inactivity limit cannot be negative (-2m)",
            // stan-ee's own: heartbeats must happen, a window holds at least one message
            "stan.hb_interval     | 0      | must be more than 0",
            "stan.hb_timeout      | -3s    | cannot be negative (-3s)",
            "stan.hb_fail_count   | -1     | cannot be negative (-1)",
            "stan.memory_window_msgs | 0   | must be at least 1 (0)",
            "stan.memory_window_bytes | -1 | cannot be negative (-1)",
            "stan.memory_window_bytes | 1Q | not a size (examples: 1024, 1K, 1KB, 10MB, 1GB)",
            // not a number, out of range, not a size
            "stan.max_msgs        | many   | not a whole number",
            "stan.hb_fail_count   | 1.5    | not a whole number",
            "stan.max_channels    | 3000000000 | too large (at most 2147483647)",
            "stan.max_bytes       | 10XB   | not a size (examples: 1024, 1K, 1KB, 10MB, 1GB)",
            "stan.max_bytes       | 99999999999GB | too large",
            // booleans: MicroProfile Config would have read these as false without a word
            "stan.sql_no_caching  | yes    | not a boolean (true or false)",
            "stan.replace_durable | ture   | not a boolean (true or false)",
            "stan.partitioning    | on     | not a boolean (true or false)",
            // enums
            "stan.store           | file   | stan-ee has no file store: SQL (the datasource of server.xml; stan.db picks the database) or MEMORY (not durable)",
            "stan.store           | disk   | unknown store type: disk",
            "stan.db              | oracle | not one of [derby, postgres, mysql, postgres-ha] (the datasources stan-ee has)",
            // names that go into NATS subjects
            "stan.cluster_id      | my cluster | not usable in a NATS subject (no spaces, no wildcards, no empty token)",
            "stan.discover_prefix | _STAN.* | not usable in a NATS subject (no spaces, no wildcards, no empty token)",
            "stan.ft_group        | a..b   | not usable in a NATS subject (no spaces, no wildcards, no empty token)",
    })
    void eachKindOfBadValueIsRefusedWithOneMessageNamingOptionAndValue(String option, String value, String why) {
        assertEquals("stan: invalid value \"" + value + "\" for option " + option + ": " + why,
                refusal(option, value));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "stan.channels.orders.max_msg      | 5   | not a per-channel limit (stan.channels.<channel>.<limit>, "
                    + "the limit one of [max_msgs, max_bytes, max_age, max_subs, max_inactivity])",
            "stan.channels.orders.max_msgs     | -1  | a limit cannot be negative",
            "stan.channels.orders.max_subs     | lots | not a whole number",
            "stan.channels.orders.max_bytes    | 1Q  | not a size (examples: 1024, 1K, 1KB, 10MB, 1GB)",
            "stan.channels.orders.max_age      | 1d  | not a duration (examples: 30s, 1m30s, 500ms)",
            "stan.channels.orders.max_inactivity | -1h | a limit cannot be negative",
            "stan.channels.a..b.max_msgs       | 5   | invalid channel name \"a..b\"",
            "stan.channels.a.b*.max_msgs       | 5   | invalid channel name \"a.b*\"",
    })
    void badPerChannelLimitsAreRefusedByTheirPropertyName(String option, String value, String why) {
        assertEquals("stan: invalid value \"" + value + "\" for option " + option + ": " + why,
                refusal(option, value));
    }

    @Test
    void moreListedChannelsThanMaxChannelsIsTheGoError() {
        assertEquals("stan: invalid value \"1\" for option stan.max_channels: too many channels defined (2). "
                        + "The max channels limit is set to 1",
                refusal("stan.max_channels", "1", "stan.channels.a.max_msgs", "1", "stan.channels.b.max_msgs", "1",
                        "stan.channels.c.*.max_msgs", "1"));
    }

    @Test
    void partitioningWithoutChannelsIsTheGoError() {
        String message = refusal("stan.partitioning", "true");
        assertTrue(message.startsWith("stan: invalid value \"true\" for option stan.partitioning: "
                + "stan: no configured channel"), message);
        assertEquals(Map.of("orders", new ChannelLimits.Override(100L, null, null, null, null)),
                read("stan.partitioning", "true", "stan.channels.orders.max_msgs", "100").perChannel());
    }

    @Test
    void partitioningAndAnFtGroupGoTogetherAsInGo() {
        ServerSettings settings = read("stan.partitioning", "true", "stan.ft_group", "g",
                "stan.channels.orders.max_msgs", "0");
        assertTrue(settings.partitioning() && settings.faultTolerant());
        assertEquals(-1L, settings.perChannel().get("orders").maxMsgs(), "an explicit 0 is unlimited");
    }
}
