package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stan.store=MEMORY}, the Go server's default store: a full server whose state lives in memory only. It
 * serves clients, writes nothing to the configured database, reports its type as Go's storez does, and forgets
 * everything when it stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryStoreIT {

    private static final String CHANNEL = "in-memory";
    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    @Test
    void theMemoryStoreServesWritesNothingToTheDatabaseAndForgetsOnRestart() throws Exception {
        liberty.stop();
        TestDatabase.POSTGRES.recreate(true);
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.store", "memory");
        liberty.configure(variables).start();
        assertTrue(liberty.messagesLog().contains("stan.store=MEMORY"), "the log warns that nothing is durable");
        String storez = liberty.get("/streaming/storez");
        assertTrue(storez.matches("(?s)200 .*\"type\":\\s*\"MEMORY\".*"), "storez names the store: " + storez);

        try (StreamingConnection client = StanClients.connect("memory-client")) {
            for (int i = 1; i <= 3; i++) {
                client.publish(CHANNEL, ("kept in memory " + i).getBytes(StandardCharsets.UTF_8));
            }
            List<Message> received = StanClients.receiveAll(client, CHANNEL, 3, Duration.ofSeconds(10));
            assertEquals(List.of(1L, 2L, 3L), received.stream().map(Message::getSequence).toList());
            assertEquals("kept in memory 3", new String(received.get(2).getData(), StandardCharsets.UTF_8));
        }
        assertEquals(0, rows("Messages"), "no message row in the datasource's database");
        assertEquals(0, rows("Channels"), "no channel row either");

        liberty.stop();
        liberty.start();
        assertTrue(view.channel(CHANNEL).isEmpty(), "after a restart the channel is gone: nothing was durable");
    }

    @Test
    void aFileStoreIsRefusedWithTheReasonInHealth() throws Exception {
        liberty.stop();
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.store", "file");
        liberty.configure(variables).startWithoutWaiting();
        String health = liberty.awaitHealth("\"role\":\"refused\"", Duration.ofSeconds(180));
        assertTrue(health.startsWith("503 "), health);
        assertTrue(health.contains("invalid value \\\"file\\\" for option stan.store: stan-ee has no file store"),
                health);
        liberty.stop();
    }

    private static long rows(String table) throws Exception {
        try (Connection db = TestDatabase.POSTGRES.connect(); Statement statement = db.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }
}
