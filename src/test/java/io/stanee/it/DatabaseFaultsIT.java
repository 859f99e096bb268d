package io.stanee.it;

import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.OwnPostgres;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import io.stanee.testing.TimedLoad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee on a PostgreSQL of the test's own (port 5440) that restarts, hangs and stops under an asynchronous
 * publisher (the official Java client, 256 publishes in flight), issue 16:
 * <ul>
 *   <li>a fast restart costs the client nothing: no error, nothing lost, no gap;</li>
 *   <li>a database frozen for 20 s (SIGSTOP of the postmaster and its backends): every publish is answered within
 *       the socket timeout plus a margin, with the store error, the client's pings (1 s interval, 12 may be out)
 *       keep being answered so it never loses its connection, and after the thaw the same server serves again;</li>
 *   <li>a database stopped for 5 s and started again: the same;</li>
 *   <li>/health under a burst of checks while the store works: answered quickly, on its own 2 connections.</li>
 * </ul>
 * Every acknowledged message is stored once, with gap-free sequences. stan-ee runs with a 3 s statement timeout
 * (stan.db.timeout) and a 4 s socket timeout. Prints the measured waits ("DatabaseFaultsIT: ...").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultsIT {

    private static final int PG_PORT = 5440;
    private static final String DATABASE = "stanee_faults";
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(4);
    /**
     * What a publish may wait beyond the socket timeout: a statement cancelled by the 3 s statement timeout waits up
     * to 2 s for its cancel (postgres.xml's cancelSignalTimeout, 5 s in all), then the rollback and the reply on a
     * machine shared by several builds.
     */
    private static final Duration MARGIN = Duration.ofSeconds(4);
    /** With a 1 s ping interval: a client whose pings go unanswered for about 12 s gives up its connection. */
    private static final int MAX_PINGS_OUT = 12;

    private final NatsServer nats = new NatsServer(4374);
    private OwnPostgres postgres;
    private LibertyServer liberty;
    private StreamingConnection client;
    private final AtomicReference<Exception> connectionLost = new AtomicReference<>();

    @BeforeAll
    void startEverything() throws Exception {
        postgres = OwnPostgres.start(Path.of("/tmp/stanee-h4-pg"), PG_PORT);
        postgres.createDatabase(DATABASE);
        nats.start();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("stan.db", "postgres");
        variables.put("stan.db.host", "127.0.0.1");
        variables.put("stan.db.port", String.valueOf(PG_PORT));
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.db.timeout", "3s");
        variables.put("stan.db.socket_timeout_seconds", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        variables.put("stan.nats_server", nats.url());
        liberty = LibertyServer.another("stanee-h4", 9104);
        liberty.configure(variables).start();
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (liberty != null) {
                liberty.stop();
            }
        } finally {
            nats.close();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** A client that pings every second and gives up after 12 unanswered pings: the 20 s freeze would drop it. */
    @BeforeEach
    void connect() throws Exception {
        connectionLost.set(null);
        client = StanClients.connect("faults-" + System.nanoTime(), options -> options.natsUrl(nats.url())
                .pubAckWait(Duration.ofSeconds(30)).maxPubAcksInFlight(256)
                .pingInterval(Duration.ofSeconds(1)).maxPingsOut(MAX_PINGS_OUT)
                .connectionLostHandler((connection, e) -> connectionLost.set(e)));
    }

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void aFastRestartCostsTheClientNothing() throws Exception {
        try (TimedLoad load = new TimedLoad(client, "restart", "r")) {
            load.mark();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            long before = postmasterPid();
            postgres.restartFast();
            assertNotEquals(before, postmasterPid(), "the database really restarted");
            load.mark();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            Set<String> acked = load.stop(Duration.ofSeconds(30));
            report("restart", load);

            assertEquals(Map.of(), load.errors(), "no publish error");
            assertEquals(load.published(), load.answered(), "every publish answered");
            StoredChannel stored = stored("restart");
            stored.assertHoldsExactlyOnce(acked);
            assertEquals(acked.size(), stored.sequences().size(), "every publish acknowledged and stored");
        }
        assertNull(connectionLost.get(), "the client kept its connection");
    }

    @Test
    @Order(2)
    void aFrozenDatabaseFailsEveryPublishWithinTheTimeoutAndPingsGoOn() throws Exception {
        try (TimedLoad load = new TimedLoad(client, "frozen", "f")) {
            load.mark();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            int ackedBefore = load.acked();
            postgres.freeze();
            try {
                awaitQuietly(Duration.ofSeconds(20));
            } finally {
                postgres.thaw();
            }
            int ackedWhileFrozen = load.acked() - ackedBefore; // in flight at the freeze, or before every backend stopped
            Duration stallDuringFreeze = load.longestWait();
            load.mark();
            long thawedAt = System.nanoTime();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            double backAfter = (System.nanoTime() - thawedAt) / 1e9;
            Set<String> acked = load.stop(Duration.ofSeconds(30));
            report("freeze (20 s)", load);
            System.out.printf("DatabaseFaultsIT: freeze: %d acknowledged from the freeze call to the thaw, "
                    + "longest wait until the thaw %d ms, first 300 acks after the thaw within %.1f s%n",
                    ackedWhileFrozen, stallDuringFreeze.toMillis(), backAfter);

            assertTrue(load.errorCount() > 0, "the freeze failed publishes: " + load.summary());
            assertOnlyStoreErrors(load);
            assertEquals(load.published(), load.answered(), "every publish answered");
            assertTrue(load.longestWait().compareTo(SOCKET_TIMEOUT.plus(MARGIN)) <= 0,
                    "every publish answered within " + SOCKET_TIMEOUT.plus(MARGIN).toSeconds() + " s: "
                            + load.summary());
            stored("frozen").assertHoldsExactlyOnce(acked);
        }
        assertNull(connectionLost.get(), "the client's pings were answered throughout: it kept its connection");
        client.publish("frozen", "after".getBytes(StandardCharsets.UTF_8)); // the same client, served again
    }

    @Test
    @Order(3)
    void aStoppedDatabaseFailsPublishesAtOnceAndServiceResumesWhenItStarts() throws Exception {
        try (TimedLoad load = new TimedLoad(client, "stopped", "s")) {
            load.mark();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            postgres.stopFast();
            assertTrue(!postgres.running(), "the database is down");
            awaitQuietly(Duration.ofSeconds(5));
            String healthWhileDown = liberty.get("/health/ready");
            postgres.startAgain();
            load.mark();
            long startedAt = System.nanoTime();
            load.awaitAckedAfterMark(300, Duration.ofSeconds(30));
            double backAfter = (System.nanoTime() - startedAt) / 1e9;
            Set<String> acked = load.stop(Duration.ofSeconds(30));
            report("stop (5 s) and start", load);
            System.out.printf("DatabaseFaultsIT: stop: first 300 acks after the start within %.1f s%n", backAfter);

            assertTrue(healthWhileDown.startsWith("503"), "not ready while the database is down: " + healthWhileDown);
            assertTrue(load.errorCount() > 0, "the outage failed publishes: " + load.summary());
            assertOnlyStoreErrors(load);
            assertEquals(load.published(), load.answered(), "every publish answered");
            assertTrue(load.longestWait().compareTo(SOCKET_TIMEOUT.plus(MARGIN)) <= 0,
                    "every publish answered within " + SOCKET_TIMEOUT.plus(MARGIN).toSeconds() + " s: "
                            + load.summary());
            stored("stopped").assertHoldsExactlyOnce(acked);
        }
        assertNull(connectionLost.get(), "the client kept its connection");
    }

    /**
     * 8 threads ask /health/ready as fast as they can for 5 s while the publisher runs: every answer is UP and
     * quick, the check never holds more than its own pool's 2 connections, and the publisher sees no error.
     */
    @Test
    @Order(4)
    void healthChecksUnderLoadUseTheirOwnSmallPool() throws Exception {
        ExecutorService checkers = Executors.newFixedThreadPool(8);
        try (TimedLoad load = new TimedLoad(client, "health", "h");
             Connection observer = postgres.connect("postgres")) {
            load.mark();
            load.awaitAckedAfterMark(100, Duration.ofSeconds(30));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            AtomicInteger checks = new AtomicInteger();
            List<Future<Long>> slowest = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slowest.add(checkers.submit(() -> {
                    long worst = 0;
                    while (System.nanoTime() < until) {
                        long started = System.nanoTime();
                        String answer = liberty.get("/health/ready");
                        worst = Math.max(worst, System.nanoTime() - started);
                        assertTrue(answer.startsWith("200"), answer);
                        checks.incrementAndGet();
                    }
                    return worst;
                }));
            }
            int mostHealthConnections = 0;
            int mostStoreConnections = 0;
            while (System.nanoTime() < until) {
                mostHealthConnections = Math.max(mostHealthConnections, connections(observer, "= 'stan-ee health'"));
                mostStoreConnections = Math.max(mostStoreConnections,
                        connections(observer, "<> 'stan-ee health' AND pid <> pg_backend_pid()"));
                Thread.sleep(50);
            }
            long worstNanos = 0;
            for (Future<Long> worst : slowest) {
                worstNanos = Math.max(worstNanos, worst.get(30, TimeUnit.SECONDS));
            }
            load.mark();
            load.awaitAckedAfterMark(100, Duration.ofSeconds(30)); // the store went on meanwhile
            load.stop(Duration.ofSeconds(30));
            report("health burst", load);
            System.out.printf("DatabaseFaultsIT: health: %d checks in 5 s from 8 threads, slowest %d ms, at most %d "
                    + "health connections and %d store connections open%n", checks.get(), worstNanos / 1_000_000,
                    mostHealthConnections, mostStoreConnections);

            assertTrue(checks.get() > 40, "the checks really ran: " + checks.get());
            assertTrue(mostHealthConnections >= 1 && mostHealthConnections <= 2,
                    "the checks used their own pool of 2: " + mostHealthConnections);
            // bounded by the health pool's own wait (5 s), never by the store's (stan.db.timeout) or a hung query
            assertTrue(worstNanos < Duration.ofSeconds(5).toNanos(), "slowest check " + worstNanos / 1_000_000 + " ms");
            assertEquals(Map.of(), load.errors(), "the store was not starved");
        } finally {
            checkers.shutdownNow();
        }
    }

    private StoredChannel stored(String channel) throws SQLException {
        try (Connection connection = postgres.connect(DATABASE)) {
            return StoredChannel.read(connection, channel);
        }
    }

    private static int connections(Connection observer, String applicationName) throws SQLException {
        try (Statement statement = observer.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                     + DATABASE + "' AND application_name " + applicationName)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void assertOnlyStoreErrors(TimedLoad load) {
        for (String error : load.errors().keySet()) {
            assertTrue(error.startsWith("stan: store error:"), "a store error, not " + error);
        }
    }

    private long postmasterPid() throws SQLException {
        try (Connection connection = postgres.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = "
                     + "'checkpointer'")) {
            row.next();
            return row.getLong(1); // the checkpointer lives as long as its postmaster
        }
    }

    private static void report(String fault, TimedLoad load) {
        System.out.println("DatabaseFaultsIT: " + fault + ": " + load.summary());
    }

    /** The fault lasts this long: the load goes on meanwhile (a wait for time itself, not for a condition). */
    private static void awaitQuietly(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
