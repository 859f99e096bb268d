package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged means committed: publish asynchronously under load, kill -9 the Liberty JVM in the middle,
 * restart it: every message whose PubAck the publisher got is there, once, with gap-free sequences, and a
 * durable subscriber that was consuming resumes without losing one. On PostgreSQL, in both modes of the store
 * (caching: subscription state written about once a second; no_caching: written before every reply).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final String CHANNEL = "crash";
    private final LibertyServer liberty = new LibertyServer();

    private void startOnEmptyStore(boolean noCaching) throws Exception {
        liberty.stop();
        TestDatabase.POSTGRES.recreate(true);
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.sql_no_caching", String.valueOf(noCaching));
        liberty.configure(variables).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    @ParameterizedTest(name = "no_caching={0}")
    @ValueSource(booleans = {false, true})
    void noAcknowledgedMessageIsLostWhenTheServerIsKilled(boolean noCaching) throws Exception {
        startOnEmptyStore(noCaching);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("survivor")
                .deliverAllAvailable().build();
        StreamingConnection publisher = StanClients.connect("crash-publisher",
                options -> options.pubAckWait(Duration.ofSeconds(5)).maxPubAcksInFlight(1000));
        StreamingConnection consumer = StanClients.connect("crash-consumer");
        consumer.subscribe(CHANNEL, m -> consumed.add(text(m)), durable);

        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            for (int i = 1; i <= 200_000 && publishing.get(); i++) {
                String text = "crash-" + i;
                try {
                    publisher.publish(CHANNEL, text.getBytes(StandardCharsets.UTF_8), (guid, error) -> {
                        if (error == null) {
                            acked.add(text);
                        }
                    });
                } catch (Exception e) {
                    return; // the server is gone: stop publishing
                }
            }
        });
        load.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acked.size() < 3000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        liberty.kill();
        publishing.set(false);
        load.join(10_000);
        Set<String> ackedBeforeCrash = Set.copyOf(acked);
        assertTrue(ackedBeforeCrash.size() >= 3000, "load ran before the crash: " + ackedBeforeCrash.size());
        closeQuietly(publisher);
        closeQuietly(consumer);

        liberty.start();
        try (StreamingConnection reader = StanClients.connect("crash-reader")) {
            List<Message> stored = readAll(reader);
            Set<String> texts = new HashSet<>();
            for (int i = 0; i < stored.size(); i++) {
                assertEquals(i + 1, stored.get(i).getSequence(), "sequences without gaps");
                assertTrue(texts.add(text(stored.get(i))), "stored once: " + text(stored.get(i)));
            }
            assertTrue(texts.containsAll(ackedBeforeCrash), "every acknowledged message survived: missing "
                    + ackedBeforeCrash.stream().filter(t -> !texts.contains(t)).limit(5).toList());

            // the durable consumer comes back and gets everything it had not consumed (or redeliveries)
            try (StreamingConnection back = StanClients.connect("crash-consumer")) {
                back.subscribe(CHANNEL, m -> consumed.add(text(m)), durable);
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!consumed.containsAll(texts) && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertTrue(consumed.containsAll(texts), "the durable consumer lost nothing: "
                        + texts.stream().filter(t -> !consumed.contains(t)).limit(5).toList());
            }
        }
    }

    private static List<Message> readAll(StreamingConnection reader) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        reader.subscribe(CHANNEL, received::add, new SubscriptionOptions.Builder().deliverAllAvailable()
                .maxInFlight(10_000).build());
        List<Message> messages = new ArrayList<>();
        Message message;
        while ((message = received.poll(3, TimeUnit.SECONDS)) != null && messages.size() < 1_000_000) {
            messages.add(message);
        }
        return messages;
    }

    private static String text(Message message) {
        return new String(message.getData(), StandardCharsets.UTF_8);
    }

    private static void closeQuietly(StreamingConnection connection) {
        try {
            connection.getNatsConnection().close();
        } catch (Exception e) {
            // the server is gone; the connection only needs to stop
        }
    }
}
