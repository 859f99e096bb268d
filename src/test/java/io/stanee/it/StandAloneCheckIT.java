package io.stanee.it;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Go server's stand-alone check: a second stan-ee started (by mistake) on a cluster ID that a running server
 * serves, here even on the same database, refuses to serve with the Go server's message, and the first one goes
 * on untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandAloneCheckIT {

    private static final String REFUSAL = "discovered another streaming server with cluster ID \"test-cluster\"";

    private final NatsServer nats = new NatsServer(4320);
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

    private StreamingConnection connect(String clientId) throws Exception {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url()));
    }

    @Test
    void aSecondServerOnARunningClusterIdRefusesToServeAndTheFirstGoesOn() throws Exception {
        first.stop();
        TestDatabase.POSTGRES.recreate(true);
        nats.start();
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(first));
        variables.put("stan.nats_server", nats.url());
        first.configure(variables).start();
        Set<String> acked = new HashSet<>();
        try (StreamingConnection client = connect("standalone-client")) {
            publish(client, "before", 10, acked);
            long failuresBefore = storeFailures(first);

            second = LibertyServer.another("stanee-b", 9081);
            second.configure(variables).startWithoutWaiting();
            String health = second.awaitHealth("\"role\":\"refused\"", Duration.ofSeconds(90));
            assertTrue(health.startsWith("503 "), "the refused instance is not ready: " + health);
            assertTrue(health.contains(REFUSAL.replace("\"", "\\\"")), "its health says why: " + health);
            assertTrue(second.messagesLog().contains(REFUSAL), "its log has the Go server's message");

            publish(client, "after", 100, acked);
            assertEquals(failuresBefore, storeFailures(first), "the first server had no store failure");
        }
        StoredChannel stored = StoredChannel.read(TestDatabase.POSTGRES, "standalone");
        assertEquals(110, stored.sequences().size(), "every publish stored once, by the first server alone");
        stored.assertHoldsExactlyOnce(acked);

        // the refused instance holds no subscription: with the first one gone, nobody answers a connect
        first.stop();
        Exception refused = assertThrows(Exception.class, () -> StanClients.connect("nobody-answers",
                options -> options.natsUrl(nats.url()).connectWait(Duration.ofSeconds(2))).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("timeout"), "the connect timed out: " + refused);
    }

    private static void publish(StreamingConnection client, String prefix, int count, Set<String> acked)
            throws Exception {
        for (int i = 1; i <= count; i++) {
            String text = prefix + "-" + i;
            client.publish("standalone", text.getBytes(StandardCharsets.UTF_8)); // synchronous: returns once acked
            acked.add(text);
        }
    }

    private static long storeFailures(LibertyServer server) throws Exception {
        String metrics = server.get("/metrics?scope=application");
        Matcher value = Pattern.compile("stan_store_failures\\{[^}]*}\\s+([0-9.Ee+]+)").matcher(metrics);
        assertTrue(value.find(), "the store failure metric is published: " + metrics);
        return (long) Double.parseDouble(value.group(1));
    }
}
