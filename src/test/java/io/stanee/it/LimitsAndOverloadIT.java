package io.stanee.it;

import com.google.protobuf.ByteString;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #16 items 4 and 5, issue #14 item 6, against a real Liberty, nats-server, PostgreSQL and MariaDB with the
 * official Java client:
 * <ul>
 *   <li>a NATS cluster of two nodes: {@code big} (4375, max_payload 1 MB, monitoring on 8375) and {@code small}
 *       (4376, max_payload 65536); stan-ee on {@code small}, clients on {@code big}, so a publish can carry a
 *       message that stan-ee could store but never deliver: the largest that fits is stored and delivered, one
 *       byte more refused and not stored;</li>
 *   <li>MariaDB with the Go script's {@code Messages.data BLOB}: refused up front, naming the column and the fix;</li>
 *   <li>names longer than the schema's columns refused;</li>
 *   <li>a flood of publishers and of connect requests with random client IDs against a small inbound queue:
 *       requests get answers (or overload errors), never silence, every acknowledged message is stored, clients
 *       stay bounded, and the nats-server counts no slow consumer.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsAndOverloadIT {

    private static final String DB = "stanee_h5";
    private static final int SMALL_PAYLOAD = 65536;
    private static final int MAX_CLIENTS = 100;

    private NatsServer big;
    private NatsServer small;
    private LibertyServer liberty;

    @BeforeAll
    void startNats() throws Exception {
        big = new NatsServer(4375, List.of("-m", "8375", "--cluster_name", "stanee-h5",
                "--cluster", "nats://127.0.0.1:-1")).start();
        Matcher routePort = Pattern.compile("\"cluster_port\":\\s*(\\d+)").matcher(monitor("/varz"));
        assertTrue(routePort.find(), "the big node listens for routes");
        Path conf = Files.createDirectories(Path.of("target", "stanee-h5")).resolve("small-nats.conf");
        Files.writeString(conf, "max_payload: " + SMALL_PAYLOAD + "\n");
        small = new NatsServer(4376, List.of("-c", conf.toString(), "--cluster_name", "stanee-h5",
                "--cluster", "nats://127.0.0.1:-1", "--routes", "nats://127.0.0.1:" + routePort.group(1))).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!monitor("/routez").matches("(?s).*\"num_routes\":\\s*1.*")) {
            assertTrue(System.nanoTime() < deadline, "the two nats-servers did not form a cluster");
            Thread.sleep(100);
        }
        liberty = LibertyServer.another("stanee-h5", 9105);
    }

    @AfterAll
    void stopAll() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        if (small != null) {
            small.close();
        }
        if (big != null) {
            big.close();
        }
    }

    /**
     * stan-ee on the 64 KiB node: the largest message whose delivery (redeliveries included) fits is stored and
     * delivered whole; one byte more is refused with a clear error and not stored (the next message gets the
     * next sequence); the publisher, on the 1 MB node, could send both.
     */
    @Test
    @Order(1)
    void theLargestMessageThatFitsMaxPayloadIsDeliveredOneByteMoreIsRefused() throws Exception {
        TestDatabase.POSTGRES.recreate(DB, true);
        liberty.configure(variables("postgres", small.url(), Map.of())).start();
        try (StreamingConnection client = StanClients.connect("h5-boundary", o -> o.natsUrl(big.url()))) {
            BlockingQueue<io.nats.streaming.Message> received = new LinkedBlockingQueue<>();
            client.subscribe("big", received::add, new SubscriptionOptions.Builder().deliverAllAvailable().build());
            int largest = largestDeliverable("big", 1, SMALL_PAYLOAD);
            byte[] fits = payload(largest, 'a');

            client.publish("big", fits);
            IOException refused = assertThrows(IOException.class, () -> client.publish("big", payload(largest + 1, 'b')));
            assertEquals(ProtocolErrors.tooLargeForNats(SMALL_PAYLOAD + 1, SMALL_PAYLOAD), refused.getMessage());
            client.publish("big", "marker".getBytes(StandardCharsets.UTF_8));

            io.nats.streaming.Message first = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(first, "the largest message that fits was delivered");
            assertEquals(1, first.getSequence());
            assertEquals(largest, first.getData().length);
            io.nats.streaming.Message marker = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(marker, "the marker published after the refused message was delivered");
            assertEquals(2, marker.getSequence(), "the refused message took no sequence");
            assertEquals("marker", new String(marker.getData(), StandardCharsets.UTF_8));
            System.out.printf("max_payload %d: largest deliverable payload on channel 'big' %d bytes%n",
                    SMALL_PAYLOAD, largest);
        }
        StoredChannel stored = StoredChannel.read(TestDatabase.POSTGRES, DB, "big");
        assertEquals(List.of(1L, 2L), stored.sequences());
        liberty.stop();
    }

    /**
     * An existing MariaDB database whose Messages.data is still the Go script's BLOB: the start-up says so, a
     * message over 65535 bytes is refused up front naming the column and the ALTER TABLE; the largest that fits
     * is stored.
     */
    @Test
    @Order(2)
    void onAnOldMariaDbBlobColumnOverSizeMessagesAreRefusedNamingTheFix() throws Exception {
        liberty.stop();
        TestDatabase.MARIADB.recreate(DB, true);
        try (java.sql.Connection db = TestDatabase.MARIADB.connect(DB); Statement sql = db.createStatement()) {
            sql.execute("ALTER TABLE Messages MODIFY data BLOB"); // as the Go server's script made it
        }
        liberty.configure(variables("mysql", big.url(), Map.of("stan.max_clients", String.valueOf(MAX_CLIENTS),
                "stan.queue_capacity", "1024", "stan.queue_max_bytes", String.valueOf(1024 * 1024)))).start();
        assertTrue(liberty.messagesLog().contains("column Messages.data (BLOB) holds at most 65535 bytes"),
                "the start-up names the capped column");
        try (StreamingConnection client = StanClients.connect("h5-blob", o -> o.natsUrl(big.url()))) {
            int largest = largestStored("blob", 1, 65535);
            client.publish("blob", payload(largest, 'a'));
            IOException oneMore = assertThrows(IOException.class, () -> client.publish("blob", payload(largest + 1, 'b')));
            assertEquals("stan: message too large for the store: 65536 bytes, but column Messages.data (BLOB) "
                    + "holds at most 65535 bytes; ask the DBA to run: ALTER TABLE Messages MODIFY data LONGBLOB",
                    oneMore.getMessage());
            IOException large = assertThrows(IOException.class, () -> client.publish("blob", payload(900_000, 'c')));
            assertTrue(large.getMessage().contains("ALTER TABLE Messages MODIFY data LONGBLOB"), large.getMessage());
            client.publish("blob", "marker".getBytes(StandardCharsets.UTF_8));
        }
        StoredChannel stored = StoredChannel.read(TestDatabase.MARIADB, DB, "blob");
        assertEquals(List.of(1L, 2L), stored.sequences(), "the fitting message and the marker, nothing else");
        assertEquals(largest("blob"), stored.payloads().get(0).length(), "stored whole");
    }

    private static int largest(String channel) {
        return largestStored(channel, 1, 65535);
    }

    /** Names longer than the schema's VARCHAR(1024) columns are refused with a clear error, nothing stored. */
    @Test
    @Order(3)
    void namesLongerThanTheSchemasColumnsAreRefused() throws Exception {
        String tooLong = "n".repeat(1025);
        IOException clientId = assertThrows(IOException.class,
                () -> StanClients.connect(tooLong, o -> o.natsUrl(big.url())).close());
        assertTrue(String.valueOf(clientId.getMessage()).contains(
                "stan: clientID too long: 1025 characters, at most 1024 allowed"), clientId.getMessage());
        try (StreamingConnection client = StanClients.connect("h5-names", o -> o.natsUrl(big.url()))) {
            IOException channel = assertThrows(IOException.class,
                    () -> client.publish(tooLong, "x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(ProtocolErrors.nameTooLong("channel name", 1025, 1024), channel.getMessage());
            IOException durable = assertThrows(IOException.class, () -> client.subscribe("names", m -> { },
                    new SubscriptionOptions.Builder().durableName(tooLong).build()));
            assertTrue(durable.getMessage().contains(ProtocolErrors.nameTooLong("durable name", 1025, 1024)),
                    durable.getMessage());
            client.publish("n".repeat(1024), "fits".getBytes(StandardCharsets.UTF_8));
        }
        try (java.sql.Connection db = TestDatabase.MARIADB.connect(DB); Statement sql = db.createStatement()) {
            var rows = sql.executeQuery("SELECT COUNT(*), MAX(CHAR_LENGTH(name)) FROM Channels WHERE name LIKE 'nnn%'");
            rows.next();
            assertEquals(1, rows.getInt(1), "only the 1024-character channel was made");
            assertEquals(1024, rows.getInt(2));
            rows = sql.executeQuery("SELECT COUNT(*) FROM Clients WHERE CHAR_LENGTH(id) > 1024");
            rows.next();
            assertEquals(0, rows.getInt(1));
        }
    }

    /**
     * Publishers flood the server beside a flood of connect requests with random client IDs, against an inbound
     * queue of 1024 requests / 1 MiB: every request is answered (accepted, or refused with the overload or
     * client-limit error), the NATS server counts no slow consumer and keeps stan-ee's connection, every
     * acknowledged message is stored once without gaps, registered clients stay within stan.max_clients.
     */
    @Test
    @Order(4)
    void aFloodIsAnsweredOrRefusedNeverDroppedAndNatsSeesNoSlowConsumer() throws Exception {
        long stanEeCid = stanEeConnectionId();
        int publishers = 20;
        int perPublisher = 2500;
        byte[] body = payload(1000, 'f');
        Set<String> acked = ConcurrentHashMap.newKeySet();
        ConcurrentMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(publishers * perPublisher);
        List<StreamingConnection> connections = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int p = 0; p < publishers; p++) {
                connections.add(StanClients.connect("h5-flood-" + p, o -> o.natsUrl(big.url())
                        .maxPubAcksInFlight(perPublisher)));
            }
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                StreamingConnection connection = connections.get(p);
                String prefix = "p" + p + "-";
                Thread thread = new Thread(() -> publishAll(connection, prefix, perPublisher, body, acked, errors,
                        answered));
                thread.start();
                threads.add(thread);
            }
            ConnectFlood connects = ConnectFlood.start(big.url(), 3000);
            boolean allAnswered = answered.await(60, TimeUnit.SECONDS);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            ConnectFlood.Result connectedDuringPublishes = connects.await(Duration.ofSeconds(60));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // then a connect flood alone: the queue admits enough of it to reach the client limit
            ConnectFlood.Result connected = ConnectFlood.start(big.url(), 2000).await(Duration.ofSeconds(60));

            String varz = monitor("/varz");
            String metrics = liberty.get("/metrics?scope=base");
            System.out.printf("flood: %d publishes in %d ms: %d acknowledged, errors %s; connects during the "
                    + "publishes %s; connects after them %s; %s%n", publishers * perPublisher, millis, acked.size(),
                    errors, connectedDuringPublishes, connected, heapLine(metrics));

            assertTrue(allAnswered, "every publish got an answer (no timeout): " + answered.getCount() + " missing");
            assertTrue(errors.keySet().stream().allMatch(e -> e.equals(ProtocolErrors.SERVER_OVERLOADED)),
                    "the only publish error is the overload answer: " + errors);
            assertTrue(errors.getOrDefault(ProtocolErrors.SERVER_OVERLOADED, new AtomicLong()).get() > 0,
                    "the flood did fill the queue (else this test proves nothing): " + errors);
            assertEquals(0, connectedDuringPublishes.unanswered() + connected.unanswered(),
                    "every connect request got an answer: " + connectedDuringPublishes + ", " + connected);
            assertEquals(0, connectedDuringPublishes.otherErrors() + connected.otherErrors(),
                    "connects are accepted or refused with the overload or client-limit error");
            assertTrue(connectedDuringPublishes.accepted() + connected.accepted() + publishers <= MAX_CLIENTS,
                    "registered clients stay within stan.max_clients: " + connected);
            assertTrue(connected.tooManyClients() > 0, "the client limit was reached: " + connected);

            Matcher slow = Pattern.compile("\"slow_consumers\":\\s*(\\d+)").matcher(varz);
            assertTrue(slow.find(), "varz reports slow consumers: " + varz);
            assertEquals("0", slow.group(1), "the nats-server counted no slow consumer");
            assertEquals(stanEeCid, stanEeConnectionId(), "stan-ee's connection was never dropped");
            assertFalse(monitor("/connz?state=closed").contains("Slow Consumer"), "no connection closed as slow");

            connections.get(0).publish("flood", "after".getBytes(StandardCharsets.UTF_8)); // still serving
            acked.add("after");
        } finally {
            for (StreamingConnection connection : connections) {
                connection.close();
            }
        }
        StoredChannel stored = StoredChannel.read(TestDatabase.MARIADB, DB, "flood");
        stored.assertHoldsExactlyOnce(acked);
        assertEquals(acked.size(), stored.sequences().size(), "nothing stored that was refused");
    }

    private static void publishAll(StreamingConnection connection, String prefix, int count, byte[] body,
                                   Set<String> acked, ConcurrentMap<String, AtomicLong> errors, CountDownLatch answered) {
        // the guid is known only once publish returned, and the ack may come first: both are kept by guid
        ConcurrentMap<String, String> byGuid = new ConcurrentHashMap<>();
        Set<String> ackedGuids = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < count; i++) {
            String text = prefix + i;
            byte[] data = new byte[body.length];
            byte[] id = text.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(body, 0, data, 0, body.length);
            System.arraycopy(id, 0, data, 0, id.length);
            data[id.length] = ' ';
            try {
                String guid = connection.publish("flood", data, (ackedGuid, error) -> {
                    if (error == null) {
                        ackedGuids.add(ackedGuid);
                    } else {
                        errors.computeIfAbsent(String.valueOf(error.getMessage()), e -> new AtomicLong())
                                .incrementAndGet();
                    }
                    answered.countDown();
                });
                byGuid.put(guid, new String(data, StandardCharsets.UTF_8));
            } catch (Exception e) {
                errors.computeIfAbsent("publish threw " + e, k -> new AtomicLong()).incrementAndGet();
                answered.countDown();
            }
        }
        try {
            answered.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ackedGuids.forEach(guid -> acked.add(byGuid.get(guid)));
    }

    /** Connect requests with random client IDs, sent as raw NATS requests (a client that never comes back). */
    private record ConnectFlood(List<CompletableFuture<Message>> answers, Connection nats) {

        record Result(long accepted, long tooManyClients, long overloaded, long otherErrors, long unanswered) { }

        static ConnectFlood start(String url, int count) throws Exception {
            Connection nats = Nats.connect(url);
            List<CompletableFuture<Message>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = "r" + UUID.randomUUID().toString().replace("-", "");
                byte[] request = ConnectRequest.newBuilder().setClientID(id).setHeartbeatInbox("_INBOX.hb." + id)
                        .setProtocol(1).setConnID(ByteString.copyFromUtf8(id)).setPingInterval(5).setPingMaxOut(3)
                        .build().toByteArray();
                answers.add(nats.requestWithTimeout("_STAN.discover." + StanClients.CLUSTER_ID, request,
                        Duration.ofSeconds(45)));
            }
            return new ConnectFlood(answers, nats);
        }

        Result await(Duration timeout) throws Exception {
            long accepted = 0;
            long tooMany = 0;
            long overloaded = 0;
            long other = 0;
            long unanswered = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                for (CompletableFuture<Message> answer : answers) {
                    Message message;
                    try {
                        message = answer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (Exception e) {
                        unanswered++;
                        continue;
                    }
                    String error = ConnectResponse.parseFrom(message.getData()).getError();
                    if (error.isEmpty()) {
                        accepted++;
                    } else if (error.startsWith(ProtocolErrors.TOO_MANY_CLIENTS)) {
                        tooMany++;
                    } else if (error.equals(ProtocolErrors.SERVER_OVERLOADED)) {
                        overloaded++;
                    } else {
                        other++;
                    }
                }
            } finally {
                nats.close();
            }
            return new Result(accepted, tooMany, overloaded, other, unanswered);
        }
    }

    private long stanEeConnectionId() throws Exception {
        String connz = monitor("/connz?limit=1024");
        Matcher cid = Pattern.compile("\"cid\":\\s*(\\d+),[^{}]*?\"name\":\\s*\"stan-ee test-cluster\"").matcher(connz);
        assertTrue(cid.find(), "stan-ee's connection is on the monitored node: " + connz);
        return Long.parseLong(cid.group(1));
    }

    private static String heapLine(String metrics) {
        Matcher used = Pattern.compile("memory_usedHeap_bytes\\{[^}]*}\\s+([0-9.Ee+]+)").matcher(metrics);
        Matcher max = Pattern.compile("memory_maxHeap_bytes\\{[^}]*}\\s+([0-9.Ee+]+)").matcher(metrics);
        return "Liberty heap used " + (used.find() ? (long) Double.parseDouble(used.group(1)) / (1024 * 1024) : -1)
                + " MiB of " + (max.find() ? (long) Double.parseDouble(max.group(1)) / (1024 * 1024) : -1) + " MiB";
    }

    private Map<String, String> variables(String db, String natsUrl, Map<String, String> more) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("stan.db", db);
        variables.put("stan.db.name", DB);
        variables.put("stan.nats_server", natsUrl);
        variables.putAll(more);
        return variables;
    }

    /** The largest payload whose message on this channel, redelivered with the largest count, fits. */
    private static int largestDeliverable(String channel, long sequence, int maxPayload) {
        int size = maxPayload;
        while (message(channel, sequence, size).setRedelivered(true).setRedeliveryCount(-1).build()
                .getSerializedSize() > maxPayload) {
            size--;
        }
        return size;
    }

    /** The largest payload whose stored message on this channel fits {@code maxBytes}. */
    private static int largestStored(String channel, long sequence, int maxBytes) {
        int size = maxBytes;
        while (message(channel, sequence, size).build().getSerializedSize() > maxBytes) {
            size--;
        }
        return size;
    }

    private static MsgProto.Builder message(String channel, long sequence, int size) {
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        return MsgProto.newBuilder().setSequence(sequence).setSubject(channel)
                .setData(ByteString.copyFrom(new byte[size])).setTimestamp(nowNanos);
    }

    private static byte[] payload(int size, char fill) {
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, (byte) fill);
        return data;
    }

    private static String monitor(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:8375" + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
