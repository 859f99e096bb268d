package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stan.replace_durable} with the official Java client, on a Liberty instance and nats-server of its own
 * (embedded Derby): by default a second registration of an online durable fails with the Go error and the first
 * one keeps receiving; with the option the second one replaces the first, gets its unacknowledged messages at
 * once and then the new ones, and the first one receives nothing more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplaceDurableIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final NatsServer nats = new NatsServer(4371);
    private LibertyServer liberty;

    @BeforeAll
    void startNats() throws Exception {
        nats.start();
        liberty = LibertyServer.another("stanee-h1", 9101);
    }

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    private void startStanEe(boolean replaceDurable) throws IOException, InterruptedException {
        liberty.stop();
        liberty.configure(Map.of("stan.nats_server", nats.url(),
                "stan.replace_durable", String.valueOf(replaceDurable))).start();
    }

    private StreamingConnection connect(String clientId) throws Exception {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url()));
    }

    /** Durable "dur", manual acks, 30 s ack wait: nothing is redelivered by the ack timer within the test. */
    private static SubscriptionOptions durable() {
        return new SubscriptionOptions.Builder().durableName("dur").deliverAllAvailable().manualAcks()
                .ackWait(Duration.ofSeconds(30)).build();
    }

    @Test
    void aDuplicateDurableIsRefusedByDefaultAndReplacesTheFirstWithTheOption() throws Exception {
        startStanEe(false);
        try (StreamingConnection client = connect("dup-client")) {
            BlockingQueue<Message> first = new LinkedBlockingQueue<>();
            client.subscribe("default", first::add, durable());
            publish(client, "default", 3);
            assertEquals(List.of(1L, 2L, 3L), next(first, 3));

            IOException refused = assertThrows(IOException.class,
                    () -> client.subscribe("default", m -> { }, durable()));
            assertEquals("stan: duplicate durable registration", refused.getMessage());
            publish(client, "default", 1);
            assertEquals(List.of(4L), next(first, 1), "the first registration still receives");
        }

        startStanEe(true);
        try (StreamingConnection client = connect("replace-client")) {
            BlockingQueue<Message> first = new LinkedBlockingQueue<>();
            client.subscribe("replaced", first::add, durable());
            publish(client, "replaced", 3);
            List<Message> got = take(first, 3);
            got.get(0).ack(); // 1 acknowledged, 2 and 3 pending

            BlockingQueue<Message> second = new LinkedBlockingQueue<>();
            client.subscribe("replaced", second::add, durable()); // no error
            List<Message> redelivered = take(second, 2);
            assertEquals(List.of(2L, 3L), redelivered.stream().map(Message::getSequence).toList(),
                    "the unacknowledged messages at once (ack wait 30 s), not the acknowledged one");
            assertTrue(redelivered.stream().allMatch(Message::isRedelivered));

            publish(client, "replaced", 2);
            assertEquals(List.of(4L, 5L), next(second, 2), "then the new messages, numbering going on");
            assertEquals(0, first.size(), "the replaced registration got nothing after 3, although 2..5 were "
                    + "delivered since: " + first);
        }
    }

    private static void publish(StreamingConnection client, String channel, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            client.publish(channel, ("m" + i).getBytes());
        }
    }

    private static List<Long> next(BlockingQueue<Message> queue, int count) throws InterruptedException {
        return take(queue, count).stream().map(Message::getSequence).toList();
    }

    private static List<Message> take(BlockingQueue<Message> queue, int count) throws InterruptedException {
        List<Message> taken = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (taken.size() < count) {
            Message message = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(message, "only " + taken.size() + " of " + count + " messages within " + WAIT);
            taken.add(message);
        }
        return taken;
    }
}
