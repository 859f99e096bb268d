package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
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
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged means committed: publish asynchronously under load, kill -9 the Liberty JVM in the middle,
 * restart it (a new process): every message whose PubAck the publisher got is there, once, with gap-free
 * sequences, and a durable subscriber that was consuming resumes where it stood: it loses nothing and gets again
 * only what it got in the last seconds before the kill. On PostgreSQL, in both modes of the store
 * (caching: subscription state written about once a second; no_caching: written before every reply).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final String CHANNEL = "crash";
    /**
     * What a durable may get again after a crash: acknowledgements of its last moments (in flight, or in caching
     * mode not yet written: the state is written about once a second).
     */
    private static final Duration RESUME_WINDOW = Duration.ofSeconds(3);
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
        // sequence -> when the durable consumer first got it (it acknowledges each as it returns)
        Map<Long, Long> consumedAt = new ConcurrentHashMap<>();
        SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("survivor")
                .deliverAllAvailable().build();
        StreamingConnection publisher = StanClients.connect("crash-publisher",
                options -> options.pubAckWait(Duration.ofSeconds(5)).maxPubAcksInFlight(1000));
        StreamingConnection consumer = StanClients.connect("crash-consumer");
        consumer.subscribe(CHANNEL, m -> consumedAt.putIfAbsent(m.getSequence(), System.nanoTime()), durable);

        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            for (int i = 1; i <= 400_000 && publishing.get(); i++) {
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
        // the durable has consumed (and acknowledged) for a while, so that a server that forgot its position
        // would have plenty to deliver again
        long loadStarted = System.nanoTime();
        long deadline = loadStarted + Duration.ofSeconds(60).toNanos();
        while ((acked.size() < 3000 || System.nanoTime() - loadStarted < RESUME_WINDOW.toNanos() * 2)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long killedPid = liberty.pid();
        liberty.kill();
        long killedAt = System.nanoTime();
        publishing.set(false);
        load.join(10_000);
        Set<String> ackedBeforeCrash = Set.copyOf(acked);
        Map<Long, Long> consumedBeforeCrash = Map.copyOf(consumedAt);
        long longConsumed = consumedBeforeCrash.values().stream()
                .filter(at -> killedAt - at > RESUME_WINDOW.toNanos()).count();
        assertTrue(ackedBeforeCrash.size() >= 3000, "load ran before the crash: " + ackedBeforeCrash.size());
        assertTrue(longConsumed >= 1000, "the durable had consumed long before the kill: " + longConsumed);
        closeQuietly(publisher);
        closeQuietly(consumer);

        liberty.start();
        assertNotEquals(killedPid, liberty.pid(), "a new server process serves after the crash");
        try (StreamingConnection reader = StanClients.connect("crash-reader")) {
            long last = new ServerView(liberty).channel(CHANNEL).orElseThrow().getJsonNumber("last_seq").longValue();
            List<Message> stored = readThrough(reader, last);
            Set<String> texts = new HashSet<>();
            for (int i = 0; i < stored.size(); i++) {
                assertEquals(i + 1, stored.get(i).getSequence(), "sequences without gaps");
                assertTrue(texts.add(text(stored.get(i))), "stored once: " + text(stored.get(i)));
            }
            assertTrue(texts.containsAll(ackedBeforeCrash), "every acknowledged message survived: missing "
                    + ackedBeforeCrash.stream().filter(t -> !texts.contains(t)).limit(5).toList());

            // the durable resumes where it stood: it gets what it never got, and again only what it got in the
            // last moments before the kill (acknowledgements the crash may have cut off), nothing older
            Set<Long> resumed = ConcurrentHashMap.newKeySet();
            try (StreamingConnection back = StanClients.connect("crash-consumer")) {
                back.subscribe(CHANNEL, m -> resumed.add(m.getSequence()), durable);
                ServerView.await("the durable got every message up to " + last, Duration.ofSeconds(60),
                        () -> LongStream.rangeClosed(1, last)
                                .allMatch(s -> resumed.contains(s) || consumedBeforeCrash.containsKey(s)));
            }
            List<Long> oldRedelivered = resumed.stream().filter(consumedBeforeCrash::containsKey)
                    .filter(s -> killedAt - consumedBeforeCrash.get(s) > RESUME_WINDOW.toNanos()).sorted().toList();
            assertEquals(List.of(), oldRedelivered.stream().limit(10).toList(), oldRedelivered.size()
                    + " messages consumed more than " + RESUME_WINDOW.toSeconds() + " s before the kill came again");
        }
    }

    /** Every stored message from 1 to {@code last}, in order (the server's channelsz names the last). */
    private static List<Message> readThrough(StreamingConnection reader, long last) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        reader.subscribe(CHANNEL, received::add, new SubscriptionOptions.Builder().deliverAllAvailable()
                .maxInFlight(10_000).build());
        List<Message> messages = new ArrayList<>();
        while (messages.isEmpty() || messages.get(messages.size() - 1).getSequence() < last) {
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertTrue(message != null, "message after " + messages.size() + " of " + last + " arrived");
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
