package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, end to end: a real Open Liberty running stan-ee on a real database, a real nats-server,
 * and the official Java STAN client. Each database runs the same scenario (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndScenario {

    static final int COUNT = 1000;
    static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(60);

    final LibertyServer liberty = new LibertyServer();
    final ServerView view = new ServerView(liberty);

    abstract TestDatabase database();

    /** Further Liberty variables of a scenario (e.g. the store's caching mode). */
    Map<String, String> variables() {
        return Map.of();
    }

    /** Prepares an empty store on the database and starts Liberty on it. */
    void startOnEmptyStore() throws Exception {
        liberty.stop();
        if (database() == TestDatabase.DERBY) {
            liberty.deleteDerbyDatabase();
        } else {
            database().recreate(true);
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(database().libertyVariables(liberty));
        all.putAll(variables());
        liberty.configure(all).start();
    }

    @AfterAll
    void stopLiberty() throws Exception {
        liberty.stop();
    }

    static String channel(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static byte[] payload(int i) {
        return ("message " + i).getBytes(StandardCharsets.UTF_8);
    }

    static void publish(StreamingConnection connection, String channel) throws Exception {
        for (int i = 1; i <= COUNT; i++) {
            connection.publish(channel, payload(i));
        }
    }

    static void assertAllInOrder(List<Message> received, String channel) {
        assertEquals(COUNT, received.size(), "messages received on " + channel);
        for (int i = 1; i <= COUNT; i++) {
            Message message = received.get(i - 1);
            assertEquals(i, message.getSequence(), "sequence of message " + i);
            assertEquals(channel, message.getSubject());
            assertArrayEquals(payload(i), message.getData(), "data of message " + i);
            assertFalse(message.isRedelivered());
            assertTrue(message.getTimestamp() > 0, "server timestamp");
        }
    }

    @Test
    void deliverAllReceivesEveryPublishedMessageInOrder() throws Exception {
        String channel = channel("orders");
        try (StreamingConnection connection = StanClients.connect("e2e-publisher")) {
            publish(connection, channel);
            assertAllInOrder(StanClients.receiveAll(connection, channel, COUNT, RECEIVE_TIMEOUT), channel);
        }
    }

    @Test
    void asyncPublishesAreAcknowledgedWithTheirGuid() throws Exception {
        String channel = channel("async");
        try (StreamingConnection connection = StanClients.connect("e2e-async")) {
            java.util.Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(COUNT);
            for (int i = 1; i <= COUNT; i++) {
                sent.add(connection.publish(channel, payload(i), (guid, error) -> {
                    if (error == null) {
                        acked.add(guid);
                    }
                    done.countDown();
                }));
            }
            assertTrue(done.await(RECEIVE_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(sent, acked, "every publish acknowledged, under its own guid, without error");
            assertAllInOrder(StanClients.receiveAll(connection, channel, COUNT, RECEIVE_TIMEOUT), channel);
        }
    }

    @Test
    void aSecondConnectionWithTheSameClientIdIsRejectedWhileTheFirstIsAlive() throws Exception {
        try (StreamingConnection first = StanClients.connect("e2e-duplicate")) {
            IOException rejected = assertThrows(IOException.class, () -> StanClients.connect("e2e-duplicate"));
            assertEquals("stan: clientID already registered", rejected.getMessage());
            // the first connection is untouched
            first.publish(channel("still-alive"), payload(1));
        }
    }

    @Test
    void closeThenReconnectWithTheSameClientIdWorks() throws Exception {
        String channel = channel("reconnect");
        StreamingConnection first = StanClients.connect("e2e-reconnect");
        first.publish(channel, payload(1));
        first.close();
        // the close request itself unregistered the ID (not the probe a second connect would send the old holder)
        assertTrue(view.client("e2e-reconnect").isEmpty(), "the closed client is gone before the reconnect");
        try (StreamingConnection second = StanClients.connect("e2e-reconnect")) {
            second.publish(channel, payload(2));
            List<Message> received = StanClients.receiveAll(second, channel, 2, RECEIVE_TIMEOUT);
            assertEquals(2, received.size());
            assertArrayEquals(payload(2), received.get(1).getData());
        }
    }

    @Test
    void aNewOnlySubscriberGetsOnlyWhatIsPublishedAfterIt() throws Exception {
        String channel = channel("new-only");
        try (StreamingConnection connection = StanClients.connect("e2e-new-only")) {
            connection.publish(channel, payload(1));
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription subscription = connection.subscribe(channel, received::add);
            connection.publish(channel, payload(2));
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertEquals(2, message.getSequence());
            assertArrayEquals(payload(2), message.getData());
            assertEquals(2, view.lastSequence(channel), "message 2 is the channel's last: nothing follows it");
            assertTrue(received.isEmpty(), "nothing else: " + received);
            subscription.unsubscribe();
        }
    }

    @Test
    void manualAcksAndMaxInFlightPaceTheDelivery() throws Exception {
        String channel = channel("manual-ack");
        try (StreamingConnection connection = StanClients.connect("e2e-manual-ack")) {
            for (int i = 1; i <= 25; i++) {
                connection.publish(channel, payload(i));
            }
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription subscription = connection.subscribe(channel, received::add,
                    new SubscriptionOptions.Builder().deliverAllAvailable().manualAcks().maxInFlight(10).build());
            List<Message> firstTen = take(received, 10);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
                    firstTen.stream().map(Message::getSequence).toList());
            jakarta.json.JsonObject held = view.subscriptions(channel, "e2e-manual-ack").get(0);
            assertEquals(10, held.getJsonNumber("last_sent").longValue(), "no 11th message sent before an ack");
            assertTrue(held.getBoolean("is_stalled"), "stalled at max in flight: " + held);
            assertTrue(received.isEmpty(), "no 11th message arrived: " + received);
            for (Message message : firstTen) {
                message.ack();
            }
            List<Message> next = take(received, 10);
            assertEquals(11, next.get(0).getSequence());
            assertEquals(20, next.get(9).getSequence());
            for (Message message : next) {
                message.ack();
            }
            assertEquals(25, take(received, 5).get(4).getSequence());
            subscription.unsubscribe();
        }
    }

    @Test
    void unsubscribedSubscriptionsGetNothingMore() throws Exception {
        String channel = channel("unsubscribe");
        try (StreamingConnection connection = StanClients.connect("e2e-unsubscribe")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription subscription = connection.subscribe(channel, received::add);
            connection.publish(channel, payload(1));
            assertEquals(1, take(received, 1).get(0).getSequence());
            subscription.unsubscribe(); // a request: the server has processed it when this returns
            assertTrue(view.subscriptions(channel, "e2e-unsubscribe").isEmpty(), "the server holds no subscription");
            connection.publish(channel, payload(2));
            assertTrue(received.isEmpty(), "nothing after the unsubscribe: " + received);
        }
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        String channel = channel("metrics");
        long messagesBefore = view.metric("stan_messages_in");
        long clientsBefore = view.metric("stan_clients");
        long channelsBefore = view.metric("stan_channels");
        try (StreamingConnection connection = StanClients.connect("e2e-metrics")) {
            for (int i = 1; i <= 3; i++) {
                connection.publish(channel, payload(i));
            }
            assertEquals(messagesBefore + 3, view.metric("stan_messages_in"), "three messages in");
            assertEquals(clientsBefore + 1, view.metric("stan_clients"), "one more client");
            assertEquals(channelsBefore + 1, view.metric("stan_channels"), "one more channel");
        }
        assertEquals(clientsBefore, view.metric("stan_clients"), "the client left");
        String health = liberty.get("/health");
        assertTrue(health.startsWith("200 "), health);
        assertTrue(health.contains("\"nats\"") && health.contains("\"datasource\""), health);
    }

    static List<Message> take(BlockingQueue<Message> queue, int count) throws InterruptedException {
        List<Message> taken = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = queue.poll(10, TimeUnit.SECONDS);
            assertTrue(message != null, "message " + (i + 1) + " of " + count + " arrived");
            taken.add(message);
        }
        return taken;
    }

    @Test
    void messagesSurviveARestartOfLiberty() throws Exception {
        String channel = channel("durable");
        try (StreamingConnection connection = StanClients.connect("e2e-before-restart")) {
            publish(connection, channel);
        }
        liberty.stop();
        liberty.start();
        try (StreamingConnection connection = StanClients.connect("e2e-after-restart")) {
            assertAllInOrder(StanClients.receiveAll(connection, channel, COUNT, RECEIVE_TIMEOUT), channel);
            // new messages continue the channel's sequence
            connection.publish(channel, payload(COUNT + 1));
            List<Message> all = StanClients.receiveAll(connection, channel, COUNT + 1, RECEIVE_TIMEOUT);
            assertEquals(COUNT + 1, all.get(COUNT).getSequence());
        }
    }
}
