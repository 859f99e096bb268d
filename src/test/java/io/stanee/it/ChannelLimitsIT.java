package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
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
import java.time.Duration;

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
    private static final long MAX_BYTES = 500;
    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        liberty.deleteDerbyDatabase();
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.DERBY.libertyVariables(liberty));
        variables.put("stan.channels.capped.*.max_msgs", "5");
        variables.put("stan.channels.capped.free.max_msgs", "0");
        variables.put("stan.channels.sized.*.max_bytes", String.valueOf(MAX_BYTES));
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

    /**
     * The sequences a deliver-all subscriber gets: every message up to the channel's last one, which the
     * server's channelsz names (deliveries come in order, so nothing can follow it).
     */
    private List<Long> everything(StreamingConnection connection, String channel) throws Exception {
        var state = view.channel(channel).orElseThrow(() -> new AssertionError("no channel " + channel));
        if (state.getInt("msgs") == 0) {
            return List.of();
        }
        long last = state.getJsonNumber("last_seq").longValue();
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription sub = connection.subscribe(channel, received::add,
                new SubscriptionOptions.Builder().deliverAllAvailable().build());
        List<Long> sequences = new ArrayList<>();
        while (sequences.isEmpty() || sequences.get(sequences.size() - 1) < last) {
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertTrue(message != null, channel + ": delivery stopped at " + sequences + " before " + last);
            sequences.add(message.getSequence());
        }
        sub.unsubscribe();
        return sequences;
    }

    /** The size of the MsgProto the server stores for message {@code i} (the timestamp's varint: 9 bytes today). */
    private static long storedSize(String channel, long i) {
        return MsgProto.newBuilder().setSequence(i).setSubject(channel).setData(com.google.protobuf.ByteString
                .copyFrom(payload((int) i))).setTimestamp(System.currentTimeMillis() * 1_000_000L).build()
                .getSerializedSize();
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
            // the Go rule on the stored MsgProto's size: after each publish the oldest go while over the limit
            List<Long> expected = new ArrayList<>();
            long bytes = 0;
            for (int i = 1; i <= 20; i++) {
                connection.publish(channel, payload(i));
                expected.add((long) i);
                bytes += storedSize(channel, i);
                while (expected.size() > 1 && bytes > MAX_BYTES) {
                    bytes -= storedSize(channel, expected.remove(0));
                }
            }
            assertTrue(expected.size() > 1 && expected.size() < 20, "the limit drops some: " + expected);
            assertEquals(expected, everything(connection, channel));
            assertEquals(bytes, view.channel(channel).orElseThrow().getJsonNumber("bytes").longValue());
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
            assertEquals(3, view.lastSequence(channel), "all three were stored (some may have expired already)");
            ServerView.await("the messages of " + channel + " expire", Duration.ofSeconds(10),
                    () -> view.channel(channel).orElseThrow().getInt("msgs") == 0);
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
            assertTrue(view.channel(channel).isPresent(), "the channel exists at first");
            ServerView.await(channel + " deleted for inactivity", Duration.ofSeconds(10),
                    () -> view.channel(channel).isEmpty());
            connection.publish(channel, payload(3));
            assertEquals(List.of(1L), everything(connection, channel), "a new channel of the same name starts at 1");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // fills the server's channel quota: last
    void channelsAreCreatedByPublishingUpToMaxChannels() throws Exception {
        try (StreamingConnection connection = StanClients.connect("limits-channels")) {
            // the inactivity test's channel goes away by itself: the count must not change under the loop
            ServerView.await("no idle channel left", Duration.ofSeconds(10),
                    () -> view.channelNames().stream().noneMatch(name -> name.startsWith("idle.")));
            int existing = view.channelNames().size();
            for (int i = existing + 1; i <= MAX_CHANNELS; i++) {
                connection.publish("many." + i + "." + suffix(), payload(i)); // fails the test if refused
            }
            assertEquals(MAX_CHANNELS, view.channelNames().size(), "the quota is reached");
            IOException refused = assertThrows(IOException.class,
                    () -> connection.publish("many.over." + suffix(), payload(0)),
                    "the publish that would make channel " + (MAX_CHANNELS + 1) + " is refused");
            assertEquals("too many channels", refused.getMessage());
            assertEquals(MAX_CHANNELS, view.channelNames().size(), "no channel made for the refused publish");
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
