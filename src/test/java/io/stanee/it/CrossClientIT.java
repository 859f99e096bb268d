package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Node client (node-nats-streaming, src/test/node) and the official Java client on one stan-ee:
 * what one publishes the other receives, with durable and queue subscriptions across the two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossClientIT {

    private static final Pattern LINE = Pattern.compile("\\{\"seq\":(\\d+),\"data\":\"([^\"]*)\",\"redelivered\":(true|false)}");
    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        liberty.deleteDerbyDatabase();
        liberty.configure(TestDatabase.DERBY.libertyVariables(liberty)).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    private record Received(long seq, String data) { }

    /** Runs the Node driver and returns the messages it printed (fails on a non-zero exit). */
    private static List<Received> node(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "stan-client.js"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(Path.of("src/test/node").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node finished");
        assertEquals(0, process.exitValue(), "node exit code; output: " + output.get());
        List<Received> received = new ArrayList<>();
        Matcher matcher = LINE.matcher(output.get());
        while (matcher.find()) {
            received.add(new Received(Long.parseLong(matcher.group(1)), matcher.group(2)));
        }
        return received;
    }

    private static String[] nodeArgs(String mode, String clientId, String channel, int count, String extra,
                                     String... options) {
        List<String> args = new ArrayList<>(List.of(mode, StanClients.NATS_URL, StanClients.CLUSTER_ID, clientId,
                channel, String.valueOf(count), extra));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    private static String channel(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void nodePublishesAndAJavaDurableReceivesEverything() throws Exception {
        String channel = channel("node-to-java");
        node(nodeArgs("pub", "node-pub", channel, 50, "from-node"));
        try (StreamingConnection java = StanClients.connect("java-durable")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            java.subscribe(channel, received::add, new SubscriptionOptions.Builder().durableName("d")
                    .deliverAllAvailable().build());
            for (int i = 1; i <= 50; i++) {
                Message message = received.poll(10, TimeUnit.SECONDS);
                assertEquals(i, message.getSequence());
                assertEquals("from-node-" + i, new String(message.getData(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void javaPublishesAndANodeDurableResumesWhereItLeft() throws Exception {
        String channel = channel("java-to-node");
        try (StreamingConnection java = StanClients.connect("java-pub")) {
            for (int i = 1; i <= 30; i++) {
                java.publish(channel, ("from-java-" + i).getBytes(StandardCharsets.UTF_8));
            }
            List<Received> first = node(nodeArgs("sub", "node-durable", channel, 30, "30", "all", "durable=nd"));
            assertEquals(30, first.size());
            for (int i = 1; i <= 30; i++) {
                assertEquals(new Received(i, "from-java-" + i), first.get(i - 1));
            }
            for (int i = 31; i <= 40; i++) {
                java.publish(channel, ("from-java-" + i).getBytes(StandardCharsets.UTF_8));
            }
            List<Received> resumed = node(nodeArgs("sub", "node-durable", channel, 10, "30", "all", "durable=nd"));
            assertEquals(31, resumed.get(0).seq(), "the Node durable resumed after what it acknowledged");
            assertEquals(40, resumed.get(9).seq());
        }
    }

    @Test
    void aQueueGroupWithANodeAndAJavaMemberGetsEachMessageOnce() throws Exception {
        String channel = channel("mixed-queue");
        try (StreamingConnection java = StanClients.connect("java-queue")) {
            BlockingQueue<Message> toJava = new LinkedBlockingQueue<>();
            java.subscribe(channel, "workers", toJava::add);
            CompletableFuture<List<Received>> toNode = CompletableFuture.supplyAsync(() -> {
                try {
                    return node(nodeArgs("sub", "node-queue", channel, 0, "6", "queue=workers"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ServerView.await("the Node member joined the group", Duration.ofSeconds(30),
                    () -> !view.subscriptions(channel, "node-queue").isEmpty());
            for (int i = 1; i <= 100; i++) {
                java.publish(channel, ("work-" + i).getBytes(StandardCharsets.UTF_8));
            }
            List<Received> nodeGot = toNode.get(60, TimeUnit.SECONDS);
            Set<Long> all = new HashSet<>();
            for (Received r : nodeGot) {
                assertTrue(all.add(r.seq()), "twice: " + r.seq());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (all.size() < 100 && System.nanoTime() < deadline) {
                Message m = toJava.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    assertTrue(all.add(m.getSequence()), "twice: " + m.getSequence());
                }
            }
            assertEquals(100, all.size());
            view.awaitAcknowledged(channel, "java-queue"); // nothing pending: nothing can come twice later
            assertTrue(toJava.isEmpty(), "delivered twice: " + toJava);
            assertTrue(!nodeGot.isEmpty() && nodeGot.size() < 100, "both members got work: node " + nodeGot.size());
        }
    }
}
