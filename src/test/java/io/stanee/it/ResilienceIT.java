package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee when its surroundings fail: a NATS server that restarts, a database that blocks (PostgreSQL and
 * MariaDB, with a 3 s statement timeout). Runs on a nats-server of its own (port 4333) that the test kills and
 * restarts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceIT {

    private static final int NATS_PORT = 4333;
    private final LibertyServer liberty = new LibertyServer();
    private final NatsServer nats = new NatsServer(NATS_PORT);
    private TestDatabase current;

    @BeforeAll
    void start() throws Exception {
        nats.start();
        startOn(TestDatabase.POSTGRES);
    }

    private void startOn(TestDatabase database) throws Exception {
        liberty.stop();
        current = database;
        database.recreate(true);
        Map<String, String> variables = new LinkedHashMap<>(database.libertyVariables(liberty));
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.db.timeout", "3s");
        variables.put("stan.db.socket_timeout_millis", "5000");
        liberty.configure(variables).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
        nats.close();
    }

    private StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url())
                .pubAckWait(Duration.ofSeconds(20)));
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Order(2) // switches the server to MariaDB for its second run
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void aPublishWhileTheDatabaseIsBlockedFailsWithinTheTimeoutAndNothingIsLost(TestDatabase database)
            throws Exception {
        if (database != TestDatabase.POSTGRES) {
            startOn(database);
        }
        try (StreamingConnection client = connect("blocked-db");
             Connection db = database.connect()) {
            client.publish("blocked", payload("before"));
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute(database == TestDatabase.POSTGRES ? "LOCK TABLE Messages IN ACCESS EXCLUSIVE MODE"
                        : "LOCK TABLES Messages WRITE");
                long failuresBefore = new ServerView(liberty).metric("stan_store_failures");
                long started = System.nanoTime();
                IOException error = assertThrows(IOException.class,
                        () -> client.publish("blocked", payload("while blocked")));
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertTrue(error.getMessage().startsWith("stan: store error:"), error.getMessage());
                assertTrue(seconds < 15, "failed within the timeout, took " + seconds + " s");
                assertEquals(failuresBefore + 1, new ServerView(liberty).metric("stan_store_failures"),
                        "the failed batch is counted once");
            } finally {
                db.rollback(); // the database comes back
                if (database == TestDatabase.MARIADB) {
                    try (Statement unlock = db.createStatement()) {
                        unlock.execute("UNLOCK TABLES");
                    }
                }
            }
            client.publish("blocked", payload("after"));
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            client.subscribe("blocked", received::add, new SubscriptionOptions.Builder().deliverAllAvailable().build());
            assertEquals("before", new String(received.poll(10, TimeUnit.SECONDS).getData(), StandardCharsets.UTF_8));
            Message after = received.poll(10, TimeUnit.SECONDS);
            assertEquals("after", new String(after.getData(), StandardCharsets.UTF_8));
            assertEquals(2, after.getSequence(), "the failed publish took no sequence");
        }
    }

    /**
     * A commit that times out on the server's side may still have been made by the database. The server then
     * reads the channel's last sequence back before its next publish: the message is kept and delivered, and
     * the next publish follows it instead of failing on its sequence.
     */
    @Test
    @Order(3)
    void aPublishTheDatabaseCommittedAfterItFailedIsKeptAndTheNextOneFollowsIt() throws Exception {
        try (StreamingConnection client = connect("uncertain-commit");
             Connection db = current.connect()) {
            client.publish("uncertain", payload("one"));
            int channelId;
            try (Statement query = db.createStatement();
                 ResultSet row = query.executeQuery("SELECT id FROM Channels WHERE name = 'uncertain'")) {
                assertTrue(row.next());
                channelId = row.getInt(1);
            }
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute(current == TestDatabase.POSTGRES ? "LOCK TABLE Messages IN ACCESS EXCLUSIVE MODE"
                        : "LOCK TABLES Messages WRITE");
                // what the server's timed-out commit would have left: sequence 2, committed behind its back
                long timestamp = System.currentTimeMillis() * 1_000_000L;
                byte[] two = MsgProto.newBuilder().setSequence(2).setSubject("uncertain")
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("two")).setTimestamp(timestamp)
                        .build().toByteArray();
                try (PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO Messages (id, seq, timestamp, size, data) VALUES (?, 2, ?, ?, ?)")) {
                    insert.setInt(1, channelId);
                    insert.setLong(2, timestamp);
                    insert.setInt(3, two.length);
                    insert.setBytes(4, two);
                    insert.executeUpdate();
                }
                IOException error = assertThrows(IOException.class,
                        () -> client.publish("uncertain", payload("its reply was an error")));
                assertTrue(error.getMessage().startsWith("stan: store error:"), error.getMessage());
                db.commit();
                if (current == TestDatabase.MARIADB) {
                    lock.execute("UNLOCK TABLES");
                }
            }
            client.publish("uncertain", payload("three"));

            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            client.subscribe("uncertain", received::add,
                    new SubscriptionOptions.Builder().deliverAllAvailable().build());
            for (String expected : new String[]{"one", "two", "three"}) {
                Message message = received.poll(10, TimeUnit.SECONDS);
                assertTrue(message != null, "no message '" + expected + "'");
                assertEquals(expected, new String(message.getData(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    @Order(1)
    void aNatsRestartIsSurvivedByServerAndClients() throws Exception {
        try (StreamingConnection client = connect("nats-restart")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            client.subscribe("restart", received::add, new SubscriptionOptions.Builder().durableName("r").build());
            client.publish("restart", payload("one"));
            assertEquals(1, received.poll(10, TimeUnit.SECONDS).getSequence());

            nats.kill();
            awaitHealth("503");
            nats.start();
            awaitHealth("200");

            // the adapter reconnected and resubscribed; the client's own connection did the same
            publishWithRetry(client, "two");
            Message second = received.poll(20, TimeUnit.SECONDS);
            assertTrue(second != null, "delivery resumed after the restart");
            assertEquals(2, second.getSequence());
        }
    }

    /** The client's connection may still be reconnecting when the server is back: bounded retries. */
    private static void publishWithRetry(StreamingConnection client, String text) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                client.publish("restart", payload(text));
                return;
            } catch (IOException | IllegalStateException | java.util.concurrent.TimeoutException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private void awaitHealth(String status) throws Exception {
        String last = "";
        for (int i = 0; i < 100; i++) {
            last = liberty.get("/health/ready");
            if (last.startsWith(status)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("health never became " + status + ": " + last);
    }
}
