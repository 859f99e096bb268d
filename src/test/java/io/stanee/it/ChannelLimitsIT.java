package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channel limits as a client sees them, configured per channel with wildcards through MicroProfile Config
 * ({@code stan.channels.<channel>.<limit>}, the Go server's {@code store_limits.channels} block).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ChannelLimitsIT {

    private static final int MAX_CHANNELS = 30;
    private final LibertyServer liberty = new LibertyServer();

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        liberty.deleteDerbyDatabase();
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.DERBY.libertyVariables(liberty));
        variables.put("stan.channels.capped.*.max_msgs", "5");
        variables.put("stan.channels.capped.free.max_msgs", "0");
        variables.put("stan.channels.sized.*.max_bytes", "500");
        variables.put("stan.channels.aging.*.max_age", "1s");
        variables.put("stan.channels.idle.*.max_inactivity", "1s");
        variables.put("stan.channels.crowded.*.max_subs", "2");
        variables.put("stan.max_channels", String.valueOf(MAX_CHANNELS));
        liberty.configure(variables).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] payload(int i) {
        return ("limits " + i).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> everything(StreamingConnection connection, String channel) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription sub = connection.subscribe(channel, received::add,
                new SubscriptionOptions.Builder().deliverAllAvailable().build());
        List<Long> sequences = new ArrayList<>();
        Message message;
        while ((message = received.poll(700, TimeUnit.MILLISECONDS)) != null && sequences.size() < 10_000) {
            sequences.add(message.getSequence());
        }
        sub.unsubscribe();
        return sequences;
    }

    @Test
    void maxMsgsKeepsTheNewestMessagesAndSequencesGoOn() throws Exception {
        String channel = "capped." + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-count")) {
            for (int i = 1; i <= 12; i++) {
                connection.publish(channel, payload(i));
            }
            assertEquals(List.of(8L, 9L, 10L, 11L, 12L), everything(connection, channel));
        }
    }

    @Test
    void anExplicitZeroForOneChannelLiftsTheWildcardsLimit() throws Exception {
        try (StreamingConnection connection = StanClients.connect("limits-free")) {
            for (int i = 1; i <= 8; i++) {
                connection.publish("capped.free", payload(i));
            }
            assertEquals(8, everything(connection, "capped.free").size());
        }
    }

    @Test
    void maxBytesDropsTheOldestButAlwaysKeepsTheNewest() throws Exception {
        String channel = "sized." + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-bytes")) {
            for (int i = 1; i <= 20; i++) {
                connection.publish(channel, payload(i)); // each stored MsgProto is about 45 bytes
            }
            List<Long> kept = everything(connection, channel);
            assertTrue(kept.size() >= 5 && kept.size() < 20, "some dropped, some kept: " + kept);
            assertEquals(20L, kept.get(kept.size() - 1));
            connection.publish(channel, new byte[2000]); // larger than the limit on its own
            List<Long> alone = everything(connection, channel);
            assertEquals(List.of(21L), alone, "the newest message stays even when it alone is over the limit");
        }
    }

    @Test
    void maxAgeExpiresOldMessages() throws Exception {
        String channel = "aging." + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-age")) {
            for (int i = 1; i <= 3; i++) {
                connection.publish(channel, payload(i));
            }
            Thread.sleep(3000);
            assertEquals(List.of(), everything(connection, channel));
            connection.publish(channel, payload(4));
            assertEquals(List.of(4L), everything(connection, channel), "numbering continues after expiry");
        }
    }

    @Test
    void anInactiveChannelIsDeleted() throws Exception {
        String channel = "idle." + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-idle")) {
            connection.publish(channel, payload(1));
            connection.publish(channel, payload(2));
            Thread.sleep(3000);
            connection.publish(channel, payload(3));
            assertEquals(List.of(1L), everything(connection, channel), "a new channel of the same name starts at 1");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // fills the server's channel quota: last
    void channelsAreCreatedByPublishingUpToMaxChannels() throws Exception {
        try (StreamingConnection connection = StanClients.connect("limits-channels")) {
            IOException refused = null;
            for (int i = 0; i <= MAX_CHANNELS && refused == null; i++) {
                try {
                    connection.publish("many." + i + "." + suffix(), payload(i));
                } catch (IOException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "a publish beyond " + MAX_CHANNELS + " channels was refused");
            assertEquals("too many channels", refused.getMessage());
        }
    }

    @Test
    void channelNamesDifferingOnlyByCaseCannotCoexist() throws Exception {
        String name = "CaseSensitive" + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-case")) {
            connection.publish(name, payload(1));
            IOException error = assertThrows(IOException.class,
                    () -> connection.publish(name.toLowerCase(java.util.Locale.ROOT), payload(2)));
            assertEquals("rejecting channel \"" + name.toLowerCase(java.util.Locale.ROOT) + "\" because channel \""
                    + name + "\" alreay exists (different cases not allowed)", error.getMessage());
        }
    }

    @Test
    void maxSubsRefusesOneSubscriptionTooMany() throws Exception {
        String channel = "crowded." + suffix();
        try (StreamingConnection connection = StanClients.connect("limits-subs")) {
            connection.subscribe(channel, m -> { });
            connection.subscribe(channel, m -> { });
            IOException error = assertThrows(IOException.class, () -> connection.subscribe(channel, m -> { }));
            assertEquals("too many subscriptions per channel", error.getMessage());
        }
    }
}
