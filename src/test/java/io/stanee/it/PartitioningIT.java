package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Go server's partitioning: two stan-ee instances with the same cluster ID, each with its own database and its
 * own channels, serve one client connection together; a server whose channels overlap another's refuses to start
 * with the Go server's message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitioningIT {

    private static final String SECOND_DATABASE = TestDatabase.NAME + "_b";

    private final NatsServer nats = new NatsServer(4330);
    private final LibertyServer first = new LibertyServer();
    private LibertyServer second;

    @AfterAll
    void stop() throws Exception {
        if (second != null) {
            second.stop();
        }
        first.stop();
        nats.close();
    }

    private Map<String, String> partition(String database, String... channels) {
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(first));
        variables.put("stan.db.name", database);
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.partitioning", "true");
        for (String channel : channels) {
            variables.put("stan.channels." + channel + ".max_msgs", "1000000");
        }
        return variables;
    }

    @Test
    void twoPartitionsServeOneClientAndAnOverlapIsRefused() throws Exception {
        first.stop();
        TestDatabase.POSTGRES.recreate(true);
        TestDatabase.POSTGRES.recreate(SECOND_DATABASE, true);
        nats.start();
        first.configure(partition(TestDatabase.NAME, "orders.>", "audit")).start();
        second = LibertyServer.another("stanee-b", 9081);
        second.configure(partition(SECOND_DATABASE, "payments", "users.*")).start();

        try (StreamingConnection client = StanClients.connect("partitioned-client",
                options -> options.natsUrl(nats.url()))) {
            for (String channel : List.of("orders.eu", "audit", "payments", "users.anna")) {
                client.publish(channel, ("to " + channel).getBytes(StandardCharsets.UTF_8)); // acked by its owner
                List<Message> received = StanClients.receiveAll(client, channel, 1, Duration.ofSeconds(10));
                assertEquals(1, received.size(), "the owner of " + channel + " delivers it");
                assertEquals("to " + channel, new String(received.get(0).getData(), StandardCharsets.UTF_8));
            }
        }
        // each partition stored its own channels, and only those
        assertEquals(List.of("to orders.eu"), StoredChannel.read(TestDatabase.POSTGRES, "orders.eu").payloads());
        assertEquals(List.of(), StoredChannel.read(TestDatabase.POSTGRES, "payments").payloads());
        assertEquals(List.of("to payments"),
                StoredChannel.read(TestDatabase.POSTGRES, SECOND_DATABASE, "payments").payloads());
        assertEquals(List.of(), StoredChannel.read(TestDatabase.POSTGRES, SECOND_DATABASE, "orders.eu").payloads());

        // the second comes back claiming a channel that the first's "orders.>" covers
        second.stop();
        second.configure(partition(SECOND_DATABASE, "payments", "orders.us")).startWithoutWaiting();
        String refused = second.awaitHealth("\"role\":\"refused\"", Duration.ofSeconds(90));
        assertTrue(refused.contains("channel \\\"orders.us\\\" causes conflict with channels on server"), refused);
        assertTrue(second.messagesLog().contains("channel \"orders.us\" causes conflict with channels on server"));
        try (StreamingConnection client = StanClients.connect("after-the-refusal",
                options -> options.natsUrl(nats.url()))) {
            client.publish("orders.us", "still the first's".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("still the first's"), StoredChannel.read(TestDatabase.POSTGRES, "orders.us").payloads());
        assertEquals(List.of(), StoredChannel.read(TestDatabase.POSTGRES, SECOND_DATABASE, "orders.us").payloads(),
                "the refused server wrote nothing");
    }
}
