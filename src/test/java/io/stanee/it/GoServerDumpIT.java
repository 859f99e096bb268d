package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.stanee.it.GoStoreFixtureScenario.ACKED;
import static io.stanee.it.GoStoreFixtureScenario.LATER;
import static io.stanee.it.GoStoreFixtureScenario.MESSAGES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database the real Go nats-streaming-server 0.25.6 wrote (its rows dumped by {@code .ci/go-store-fixture} into
 * src/test/resources/go-store/postgres-data.sql; see GoStoreFixtureScenario for what it was made to store) is
 * served by stan-ee as the Go server would serve it: every message with the Go server's own bytes and
 * timestamps, each durable resuming with what it had not acknowledged (the no-caching mode's pending rows, the
 * caching mode's JSON) flagged redelivered, then the messages published while it was away, and new messages
 * numbered on from the Go server's last one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoServerDumpIT {

    private static final Path DUMP = Path.of("src/test/resources/go-store/postgres-data.sql");
    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        TestDatabase.POSTGRES.recreate(true);
        try (Connection db = TestDatabase.POSTGRES.connect(); Statement statement = db.createStatement()) {
            for (String insert : Files.readAllLines(DUMP)) {
                if (insert.startsWith("INSERT ")) {
                    statement.execute(insert);
                }
            }
        }
        liberty.configure(TestDatabase.POSTGRES.libertyVariables(liberty)).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    @ParameterizedTest(name = "written in the {0} mode")
    @ValueSource(strings = {"rows", "json"})
    void theGoServersDurableResumesWithWhatItHadNotAcknowledged(String mode) throws Exception {
        String channel = GoStoreFixtureScenario.channel(mode);
        Map<Long, byte[]> goBytes = storedByGo(channel);
        assertEquals(MESSAGES + LATER, goBytes.size(), "the dump holds the Go server's messages");
        assertEquals(MESSAGES + LATER, view.lastSequence(channel), "stan-ee recovered them all");

        // every message as the Go server stored it: sequence, timestamp, payload
        try (StreamingConnection reader = StanClients.connect("dump-reader-" + mode)) {
            List<Message> all = receive(reader, channel, new SubscriptionOptions.Builder().deliverAllAvailable()
                    .build(), MESSAGES + LATER);
            for (Message message : all) {
                MsgProto stored = MsgProto.parseFrom(goBytes.get(message.getSequence()));
                assertEquals(stored.getTimestamp(), message.getTimestamp(), "the Go server's timestamp");
                assertArrayEquals(stored.getData().toByteArray(), message.getData());
                assertEquals(GoStoreFixtureScenario.payload(mode, (int) message.getSequence()),
                        new String(message.getData(), StandardCharsets.UTF_8));
            }
        }

        // the durable: what it had not acknowledged again (redelivered), then what came while it was away
        try (StreamingConnection owner = StanClients.connect(GoStoreFixtureScenario.clientId(mode))) {
            List<Message> resumed = receive(owner, channel, new SubscriptionOptions.Builder()
                    .durableName(GoStoreFixtureScenario.durableName(mode)).build(), MESSAGES + LATER - ACKED);
            List<Long> redelivered = new ArrayList<>();
            List<Long> fresh = new ArrayList<>();
            for (Message message : resumed) {
                (message.isRedelivered() ? redelivered : fresh).add(message.getSequence());
            }
            assertEquals(range(ACKED + 1, MESSAGES), redelivered.stream().sorted().toList(),
                    "the unacknowledged messages, flagged redelivered");
            assertEquals(range(MESSAGES + 1, MESSAGES + LATER), fresh, "then the rest, in order");
            view.awaitAcknowledged(channel, GoStoreFixtureScenario.clientId(mode));
            assertTrue(resumed.stream().noneMatch(m -> m.getSequence() <= ACKED), "nothing acknowledged came again");

            owner.publish(channel, "after the move".getBytes(StandardCharsets.UTF_8));
            assertEquals(MESSAGES + LATER + 1, view.lastSequence(channel), "numbered on from the Go server's last");
        }
    }

    /** Receives {@code count} messages; the last must be the channel's last one, so nothing else can follow. */
    private List<Message> receive(StreamingConnection connection, String channel, SubscriptionOptions options,
                                  int count) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        connection.subscribe(channel, received::add, options);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = received.poll(10, TimeUnit.SECONDS);
            assertTrue(message != null, channel + ": message " + (i + 1) + " of " + count + " (got " + messages.size()
                    + ")");
            messages.add(message);
        }
        long last = view.lastSequence(channel);
        assertTrue(messages.stream().anyMatch(m -> m.getSequence() == last), "the channel's last message came");
        return messages;
    }

    private static Map<Long, byte[]> storedByGo(String channel) throws Exception {
        Map<Long, byte[]> bytes = new HashMap<>();
        try (Connection db = TestDatabase.POSTGRES.connect(); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT m.seq, m.data FROM Messages m JOIN Channels c "
                     + "ON c.id = m.id WHERE c.name = '" + channel + "' AND m.seq <= " + (MESSAGES + LATER))) {
            while (rows.next()) {
                bytes.put(rows.getLong(1), rows.getBytes(2));
            }
        }
        return bytes;
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }
}
