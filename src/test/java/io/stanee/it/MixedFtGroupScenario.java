package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.AsyncLoad;
import io.stanee.testing.GoStreamingServer;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-downtime migration path: the Go nats-streaming-server and stan-ee in one FT group on one PostgreSQL
 * database. Go active and stan-ee standby: kill Go, stan-ee serves the same client connections and durables; then
 * the reverse, with Go as the standby of stan-ee. Run by {@code .ci/ft-mixed-go} (it needs {@code STAN_GO_SERVER});
 * not part of {@code mvn verify}, where no Go server is at hand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedFtGroupScenario {

    private static final String GROUP = "mixed";

    private final NatsServer nats = new NatsServer(4340);
    private final LibertyServer stanEe = new LibertyServer();
    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
    private GoStreamingServer go;
    private StreamingConnection publisher;
    private final Map<String, Integer> durableGot = new ConcurrentHashMap<>();

    private GoStreamingServer goServer(String name) {
        return new GoStreamingServer(name, List.of("-cid", StanClients.CLUSTER_ID, "-ns", nats.url(),
                "-store", "sql", "-sql_driver", "postgres", "-sql_source",
                "host=127.0.0.1 port=5432 user=postgres dbname=" + TestDatabase.NAME + " sslmode=disable",
                "-ft_group", GROUP));
    }

    @BeforeAll
    void goActiveStanEeStandby() throws Exception {
        GoStreamingServer.binary(); // fails at once without the Go server
        stanEe.stop();
        TestDatabase.POSTGRES.recreate(true);
        nats.start();
        go = goServer("active").start();
        go.awaitLog("Streaming Server is ready", Duration.ofSeconds(30));
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(stanEe));
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.ft_group", GROUP);
        stanEe.configure(variables).startWithoutWaiting();
        stanEe.awaitHealth("\"role\":\"standby\"", Duration.ofSeconds(90));

        publisher = StanClients.connect("mixed-publisher", options -> options.natsUrl(nats.url())
                .pubAckWait(Duration.ofSeconds(5)).maxPubAcksInFlight(256));
        StreamingConnection consumer = StanClients.connect("mixed-consumer", options -> options.natsUrl(nats.url()));
        closeAtEnd.add(publisher);
        closeAtEnd.add(consumer);
        for (String channel : List.of("mixed", "mixed-back")) {
            consumer.subscribe(channel, (Message m) -> {
                durableGot.merge(new String(m.getData(), StandardCharsets.UTF_8), 1, Integer::sum);
                try {
                    m.ack();
                } catch (Exception e) {
                    // redelivered by the next active
                }
            }, new SubscriptionOptions.Builder().durableName("migrating").deliverAllAvailable().manualAcks()
                    .ackWait(Duration.ofSeconds(10)).build());
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable client : closeAtEnd) {
            try {
                client.close();
            } catch (Exception e) {
                // its server is gone
            }
        }
        if (go != null) {
            go.close();
        }
        stanEe.stop();
        nats.close();
    }

    @Test
    @Order(1)
    void stanEeTakesOverFromTheGoServer() throws Exception {
        Set<String> acked = failOver("mixed", () -> go.kill(),
                () -> stanEe.awaitHealth("\"role\":\"active\"", Duration.ofSeconds(30)));
        StoredChannel stored = StoredChannel.read(TestDatabase.POSTGRES, "mixed");
        stored.assertHoldsExactlyOnce(acked);
        awaitDurableGot(stored.payloads());
    }

    @Test
    @Order(2)
    void theGoServerTakesOverFromStanEe() throws Exception {
        go = goServer("standby").start();
        go.awaitLog("Starting in standby mode", Duration.ofSeconds(30));
        Set<String> acked = failOver("mixed-back", stanEe::kill,
                () -> go.awaitLog("Server is active", Duration.ofSeconds(30)));
        StoredChannel stored = StoredChannel.read(TestDatabase.POSTGRES, "mixed-back");
        stored.assertHoldsExactlyOnce(acked);
        awaitDurableGot(stored.payloads());
    }

    interface Step {
        void run() throws Exception;
    }

    /** Publishes under load, kills the active, waits for the standby, and goes on publishing on the same connection. */
    private Set<String> failOver(String channel, Step kill, Step awaitStandbyActive) throws Exception {
        AsyncLoad load = new AsyncLoad(publisher, channel, channel);
        closeAtEnd.add(load);
        load.awaitAcked(2000, Duration.ofSeconds(60));
        int ackedBeforeKill = load.acked();
        long killedAt = System.nanoTime();
        kill.run();
        awaitStandbyActive.run();
        System.out.printf("%s: the standby took over %.1f s after the kill%n", channel,
                (System.nanoTime() - killedAt) / 1e9);
        load.awaitAcked(ackedBeforeKill + 2000, Duration.ofSeconds(60));
        Set<String> acked = load.stop(Duration.ofSeconds(15));
        System.out.printf("%s: %d acknowledged, %d of them after the kill%n", channel, acked.size(),
                acked.size() - ackedBeforeKill);
        return acked;
    }

    private void awaitDurableGot(List<String> stored) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!durableGot.keySet().containsAll(stored) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(durableGot.keySet().containsAll(stored), "the durable got every stored message: missing "
                + stored.stream().filter(p -> !durableGot.containsKey(p)).limit(5).toList());
    }
}
