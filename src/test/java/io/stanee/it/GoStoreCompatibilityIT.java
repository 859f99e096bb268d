package io.stanee.it;

import com.google.protobuf.ByteString;
import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.spb.ServerProtocol.ClientInfo;
import io.stanee.protocol.spb.ServerProtocol.SubState;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database as the Go nats-streaming-server's SQL store leaves it (rows built to its documented encoding, in
 * PostgreSQL from sql/postgres.db.sql) is recovered and served by stan-ee: the channel, its messages, the
 * durables' positions and pending messages in both SubsPending layouts (no-caching rows and caching-mode JSON).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoStoreCompatibilityIT {

    private static final String CHANNEL = "legacy";
    private static final int MESSAGES = 20;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private final LibertyServer liberty = new LibertyServer();

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        TestDatabase.POSTGRES.recreate(true);
        try (Connection db = TestDatabase.POSTGRES.connect()) {
            writeGoServerRows(db);
        }
        liberty.configure(TestDatabase.POSTGRES.libertyVariables(liberty)).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    private static void writeGoServerRows(Connection db) throws Exception {
        execute(db, "INSERT INTO ServerInfo (id, proto, version) VALUES (?, ?, 1)", StanClients.CLUSTER_ID,
                Subjects.forNewServer(StanClients.CLUSTER_ID, Subjects.DEFAULT_DISCOVER_PREFIX).toByteArray());
        execute(db, "INSERT INTO Clients (id, hbinbox, proto) VALUES (?, ?, ?)", "go-era-client", "_INBOX.gone",
                ClientInfo.newBuilder().setID("go-era-client").setHbInbox("_INBOX.gone").build().toByteArray());
        execute(db, "INSERT INTO Channels (id, name, maxmsgs, maxbytes, maxage) VALUES (1, ?, 1000000, 1024000000, 0)",
                CHANNEL);
        for (int seq = 1; seq <= MESSAGES; seq++) {
            byte[] data = MsgProto.newBuilder().setSequence(seq).setSubject(CHANNEL)
                    .setData(ByteString.copyFromUtf8("go-" + seq)).setTimestamp(T0 + seq).build().toByteArray();
            execute(db, "INSERT INTO Messages (id, seq, timestamp, size, data) VALUES (1, ?, ?, ?, ?)",
                    (long) seq, T0 + seq, data.length, data);
        }
        // a closed durable written in no-caching mode: 1..10 acknowledged, 11 and 12 sent and pending
        execute(db, "INSERT INTO Subscriptions (id, subid, lastsent, proto) VALUES (1, 7, 12, ?)",
                durable(7, "rows-owner", "rows", 10));
        execute(db, "INSERT INTO SubsPending (subid, row, seq) VALUES (7, 1, 11)");
        execute(db, "INSERT INTO SubsPending (subid, row, seq) VALUES (7, 2, 12)");
        // a closed durable written in caching mode: 5, 6, 7 sent, then 5 and 6 acknowledged
        execute(db, "INSERT INTO Subscriptions (id, subid, lastsent, proto) VALUES (1, 8, 0, ?)",
                durable(8, "json-owner", "json", 4));
        execute(db, "INSERT INTO SubsPending (subid, row, seq, lastsent, pending) VALUES (8, 1, 0, 7, ?)",
                "[7,5,6]".getBytes(StandardCharsets.US_ASCII));
        execute(db, "INSERT INTO SubsPending (subid, row, seq, lastsent, acks) VALUES (8, 2, 0, 7, ?)",
                "[6,5]".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    @Order(4) // restarts the server with lower limits
    void aChannelOverTodaysLimitsIsTrimmedOnceCounted() throws Exception {
        liberty.stop();
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.channels." + CHANNEL + ".max_msgs", "5");
        liberty.configure(variables).start();
        // the store counts a recovered channel in the background; the trim follows on a timer tick
        long[] countAndFirst = storedCountAndFirst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (countAndFirst[0] != 5 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            countAndFirst = storedCountAndFirst();
        }
        assertEquals(5, countAndFirst[0], "only the newest 5 rows are left");
        assertEquals(MESSAGES + 1 - 4, countAndFirst[1]);
        try (StreamingConnection connection = StanClients.connect("after-trim")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(CHANNEL, received::add, new SubscriptionOptions.Builder().deliverAllAvailable()
                    .build());
            assertEquals(MESSAGES + 1 - 4, received.poll(10, TimeUnit.SECONDS).getSequence());
            for (int i = 0; i < 3; i++) {
                connection.publish(CHANNEL, ("after the restart " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        long[] afterPublishing = storedCountAndFirst();
        assertEquals(5, afterPublishing[0], "the recovered count and the new messages add up: the limit holds");
        assertEquals(MESSAGES + 1 - 4 + 3, afterPublishing[1]);
    }

    private static long[] storedCountAndFirst() throws Exception {
        try (Connection db = TestDatabase.POSTGRES.connect();
             PreparedStatement count = db.prepareStatement("SELECT COUNT(*), MIN(seq) FROM Messages WHERE id = 1");
             java.sql.ResultSet rs = count.executeQuery()) {
            assertTrue(rs.next());
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    @Order(5) // restarts the server on altered data: last
    void aStoreOfAnotherVersionOrClusterIsRefusedWithTheReason() throws Exception {
        liberty.stop();
        try (Connection db = TestDatabase.POSTGRES.connect()) {
            execute(db, "UPDATE ServerInfo SET version = 2");
        }
        String log = liberty.startExpectingLog("unsupported version");
        assertTrue(log.contains("sql: unsupported version: 2 (supports [1..1])"), "the Go server's words");
        assertTrue(liberty.get("/health/ready").startsWith("503"));

        liberty.stop();
        try (Connection db = TestDatabase.POSTGRES.connect()) {
            execute(db, "UPDATE ServerInfo SET version = 1, id = 'other-cluster', proto = ?",
                    Subjects.forNewServer("other-cluster", Subjects.DEFAULT_DISCOVER_PREFIX).toByteArray());
        }
        log = liberty.startExpectingLog("does not match recovered value");
        assertTrue(log.contains("cluster ID \"test-cluster\" does not match recovered value of \"other-cluster\""));
        liberty.stop();
    }

    private static byte[] durable(long id, String clientId, String name, long lastSent) {
        return SubState.newBuilder().setID(id).setClientID(clientId).setInbox("_INBOX.old-" + name)
                .setAckInbox("_INBOX.old-ack-" + name).setMaxInFlight(1024).setAckWaitInSecs(30)
                .setDurableName(name).setLastSent(lastSent).setIsDurable(true).setIsClosed(true).build()
                .toByteArray();
    }

    private static void execute(Connection db, String sql, Object... values) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private List<Message> resume(String clientId, String durable, int count) throws Exception {
        try (StreamingConnection connection = StanClients.connect(clientId)) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(CHANNEL, received::add, new SubscriptionOptions.Builder().durableName(durable)
                    .deliverAllAvailable().build());
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Message message = received.poll(10, TimeUnit.SECONDS);
                assertTrue(message != null, "message " + (i + 1) + " of " + count);
                messages.add(message);
            }
            assertEquals(MESSAGES, messages.get(count - 1).getSequence(), "up to the channel's last message");
            // its acks processed, nothing is pending: nothing more can come
            new ServerView(liberty).awaitAcknowledged(CHANNEL, clientId);
            assertTrue(received.isEmpty(), "nothing more: " + received);
            return messages;
        }
    }

    @Test
    @Order(1)
    void aDurableFromNoCachingRowsGetsItsPendingMessagesAgainThenTheRest() throws Exception {
        List<Message> messages = resume("rows-owner", "rows", 10);
        assertEquals(11, messages.get(0).getSequence());
        assertTrue(messages.get(0).isRedelivered());
        assertEquals(12, messages.get(1).getSequence());
        assertTrue(messages.get(1).isRedelivered());
        for (int i = 2; i < 10; i++) {
            assertEquals(11 + i, messages.get(i).getSequence());
            assertFalse(messages.get(i).isRedelivered());
            assertEquals("go-" + (11 + i), new String(messages.get(i).getData(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(2)
    void aDurableFromCachingModeJsonRowsKeepsOnlyWhatWasNotAcknowledged() throws Exception {
        List<Message> messages = resume("json-owner", "json", 14);
        assertEquals(7, messages.get(0).getSequence());
        assertTrue(messages.get(0).isRedelivered());
        assertEquals(8, messages.get(1).getSequence());
        assertEquals(MESSAGES, messages.get(13).getSequence());
    }

    @Test
    @Order(3) // publishes: after the durables' counts were checked
    void theChannelContinuesItsNumberingAndANewSubscriberSeesTheGoMessages() throws Exception {
        try (StreamingConnection connection = StanClients.connect("after-go")) {
            connection.publish(CHANNEL, "stan-ee".getBytes(StandardCharsets.UTF_8));
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(CHANNEL, received::add, new SubscriptionOptions.Builder().deliverAllAvailable()
                    .build());
            for (int seq = 1; seq <= MESSAGES; seq++) {
                Message message = received.poll(10, TimeUnit.SECONDS);
                assertEquals(seq, message.getSequence());
                assertEquals("go-" + seq, new String(message.getData(), StandardCharsets.UTF_8));
                assertEquals(T0 + seq, message.getTimestamp());
            }
            Message ours = received.poll(10, TimeUnit.SECONDS);
            assertEquals(MESSAGES + 1, ours.getSequence());
        }
    }
}
