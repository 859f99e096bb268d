package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MicroProfile metrics and health of stan-ee, read from /metrics and /health/* of a real Liberty (stanee-h3 on
 * 9103) with its own nats-server (4373) and PostgreSQL database (stanee_h3), driven by the official Java client:
 * exact deltas of every metric over known work, per-channel gauges appearing and going with their channel, the
 * NATS connection gauge and reconnect counter across a NATS restart, and liveness turning DOWN while the worker is
 * blocked on a table lock the test holds, UP again once it is released. stan-ee runs as an FT group of one (it takes
 * the free store lock and serves), which adds the FT role gauge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsHealthIT {

    private static final java.util.List<String> CHANNEL_GAUGES =
            java.util.List.of("messages", "bytes", "subscriptions", "pending_acks");


    private static final int HTTP_PORT = 9103;
    private static final String DATABASE = "stanee_h3";
    /** Short, so that the test sees a stuck worker within seconds. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final NatsServer nats = new NatsServer(4373);
    private LibertyServer liberty;
    private StreamingConnection client;

    @BeforeAll
    void start() throws Exception {
        nats.start();
        TestDatabase.POSTGRES.recreate(DATABASE, true);
        liberty = LibertyServer.another("stanee-h3", HTTP_PORT);
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("stan.db", "postgres");
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.worker_stall_timeout", STALL_TIMEOUT.toSeconds() + "s");
        variables.put("stan.channels.short-lived.max_inactivity", "1s");
        // a group of one: it stands by, takes the free store lock and serves; shows the FT role gauge
        variables.put("stan.ft_group", "h3");
        liberty.configure(variables).start();
        client = connect("metrics-client");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (liberty != null) {
                    liberty.stop();
                }
            } finally {
                nats.close();
            }
        }
    }

    /** No pings during the test (default 5 s): every request the server counts is one the test sent. */
    private StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url())
                .pingInterval(Duration.ofMinutes(5)).pubAckWait(Duration.ofSeconds(30)));
    }

    @Test
    @Order(1)
    void healthEndpointsAreUpOnceStarted() throws Exception {
        String started = liberty.get("/health/started");
        assertTrue(started.startsWith("200 ") && started.contains("\"name\":\"started\"")
                && started.contains("\"recovered\":true"), started);
        String live = liberty.get("/health/live");
        assertTrue(live.startsWith("200 ") && live.contains("\"name\":\"worker\"")
                && live.contains("\"stall_timeout_ms\":2000"), live);
        String ready = liberty.get("/health/ready");
        assertTrue(ready.startsWith("200 "), ready);
        for (String check : new String[] {"nats", "datasource", "recovery"}) {
            assertTrue(ready.contains("\"name\":\"" + check + "\""), check + " in " + ready);
        }
        assertTrue(ready.contains("\"role\":\"active\""), ready);
        Scrape metrics = scrape();
        for (String role : new String[] {"starting", "checking", "standby", "active", "refused", "stopped"}) {
            Matcher series = Pattern.compile("stan_ft_role\\{[^}]*role=\"" + role + "\"[^}]*} (\\S+)")
                    .matcher(metrics.text);
            assertTrue(series.find(), role + " in\n" + metrics.text);
            assertEquals(role.equals("active") ? 1 : 0, Double.parseDouble(series.group(1)), role);
        }
    }

    @Test
    @Order(2)
    void publishingMovesTheLatencyBatchCommitAndChannelMetricsByExactlyTheWork() throws Exception {
        Scrape before = scrape();
        for (int i = 0; i < 50; i++) {
            client.publish("a", ("a" + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 20; i++) {
            client.publish("b", ("b" + i).getBytes(StandardCharsets.UTF_8));
        }
        // the channel gauges are copied on the worker's timer calls (every 100 ms); a new channel's series are
        // registered on a container thread, so they may appear a moment after its first messages
        Scrape after = awaitScrape(s -> s.gauged("a") && s.gauged("b") && s.value("stan_channel_messages", "a") == 50
                && s.value("stan_channel_messages", "b") == 20);
        assertEquals(70, after.delta(before, "stan_publish_latency_seconds_count"), "one latency per PubAck");
        assertTrue(after.delta(before, "stan_publish_latency_seconds_sum") > 0);
        // synchronous publishes of one client: each is a batch of one request, committed in one transaction
        assertEquals(70, after.delta(before, "stan_batch_size_count"));
        assertEquals(70, after.delta(before, "stan_batch_size_sum"));
        assertEquals(1, after.value("stan_batch_size_max"));
        assertEquals(70, after.delta(before, "stan_store_commit_time_seconds_count"));
        assertEquals(70, after.delta(before, "stan_store_commits"));
        assertEquals(70, after.delta(before, "stan_messages_in"));
        assertEquals(0, after.value("stan_channel_subscriptions", "a"));
        assertEquals(0, after.value("stan_channel_pending_acks", "b"));
        for (String channel : new String[] {"a", "b"}) {
            String channelsz = liberty.get("/streaming/channelsz?channel=" + channel);
            Matcher bytes = Pattern.compile("\"bytes\": (\\d+)").matcher(channelsz);
            assertTrue(bytes.find(), channelsz);
            assertEquals(Long.parseLong(bytes.group(1)), after.value("stan_channel_bytes", channel),
                    "the bytes of /streaming/channelsz for " + channel);
        }
    }

    @Test
    @Order(3)
    void redeliveriesAndPendingAcksAreCountedExactly() throws Exception {
        Scrape before = scrape();
        Set<Long> firstDeliveries = ConcurrentHashMap.newKeySet();
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger redelivered = new AtomicInteger();
        CompletableFuture<Void> ackNow = new CompletableFuture<>();
        Subscription subscription = client.subscribe("b", (Message message) -> {
            if (!message.isRedelivered()) {
                firstDeliveries.add(message.getSequence());
                return; // not acknowledged: redelivered after the ack wait
            }
            redelivered.incrementAndGet();
            if (ackNow.isDone()) {
                try {
                    message.ack();
                    acknowledged.add(message.getSequence());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, new SubscriptionOptions.Builder().deliverAllAvailable().manualAcks().ackWait(Duration.ofSeconds(1))
                .maxInFlight(100).build());
        try {
            await(() -> firstDeliveries.size() == 20, "the 20 messages of b delivered once");
            Scrape pending = awaitScrape(s -> s.value("stan_channel_pending_acks", "b") == 20);
            assertEquals(1, pending.value("stan_channel_subscriptions", "b"));
            assertEquals(0, pending.value("stan_channel_pending_acks", "a"));
            ackNow.complete(null);
            await(() -> acknowledged.size() == 20, "every message of b redelivered and acknowledged");
            Scrape after = awaitScrape(s -> s.value("stan_channel_pending_acks", "b") == 0
                    && s.delta(before, "stan_redeliveries_total") == redelivered.get());
            assertTrue(redelivered.get() >= 20, "each of the 20 redelivered at least once: " + redelivered);
            assertEquals(redelivered.get(), after.delta(before, "stan_redeliveries_total"),
                    "the counter counts exactly the redelivered messages the client received");
        } finally {
            subscription.close();
        }
        Scrape closed = awaitScrape(s -> s.value("stan_channel_subscriptions", "b") == 0);
        assertEquals(20, closed.value("stan_channel_messages", "b"));
    }

    @Test
    @Order(4)
    void aChannelsGaugesGoWithTheChannel() throws Exception {
        client.publish("short-lived", "x".getBytes(StandardCharsets.UTF_8));
        // the gauges appear with the channel on the worker's next timer call: absent until then
        Scrape present = awaitScrape(s -> s.gauged("short-lived")
                && s.value("stan_channel_messages", "short-lived") == 1);
        assertEquals(1, present.value("stan_channel_messages", "short-lived"));
        // max_inactivity 1 s: the server deletes the channel, its four series leave /metrics
        Scrape gone = awaitScrape(s -> !s.anyGauge("short-lived"));
        for (String gauge : CHANNEL_GAUGES) {
            assertFalse(gone.has("stan_channel_" + gauge, "short-lived"), gauge);
            assertTrue(gone.has("stan_channel_" + gauge, "a"), "the other channels stay: " + gauge);
        }
        String channelsz = liberty.get("/streaming/channelsz?channel=short-lived");
        assertTrue(channelsz.startsWith("404 "), "deleted indeed: " + channelsz);
    }

    @Test
    @Order(5)
    void aNatsRestartShowsInTheConnectionGaugeAndTheReconnectCounter() throws Exception {
        Scrape before = scrape();
        assertEquals(1, before.value("stan_nats_connected"));
        nats.kill();
        awaitScrape(s -> s.value("stan_nats_connected") == 0);
        nats.start();
        Scrape after = awaitScrape(s -> s.value("stan_nats_connected") == 1
                && s.delta(before, "stan_nats_reconnects_total") >= 1);
        assertEquals(1, after.delta(before, "stan_nats_reconnects_total"), "one restart, one reconnect");
        // and it serves again: the client (reconnected too) gets its PubAck
        client.publish("a", "after the restart".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(6)
    void aWorkerBlockedByATableLockIsNotLiveUntilTheLockGoes() throws Exception {
        assertTrue(liberty.get("/health/live").startsWith("200 "));
        CompletableFuture<String> ack = new CompletableFuture<>();
        try (Connection db = TestDatabase.POSTGRES.connect(DATABASE)) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                lock.execute("LOCK TABLE Messages IN ACCESS EXCLUSIVE MODE");
                client.publish("a", "blocked".getBytes(StandardCharsets.UTF_8), (guid, error) ->
                        ack.complete(error == null ? guid : "error: " + error.getMessage()));
                String down = awaitLive("503 ");
                assertTrue(down.contains("\"status\":\"DOWN\"") && down.contains("\"in_call\":true"), down);
                Matcher silent = Pattern.compile("\"silent_ms\":(\\d+)").matcher(down);
                assertTrue(silent.find() && Long.parseLong(silent.group(1)) >= STALL_TIMEOUT.toMillis(), down);
                assertFalse(ack.isDone(), "the publish waits for the lock: the worker is really blocked");
                db.rollback();
            }
        } finally {
            // the lock is gone with the connection; the client must not be closed with this ack pending
            // (java-nats-streaming 2.2.3's close fails on a pending asynchronous publish)
            ack.completeOnTimeout("error: no PubAck", WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
        String guid = ack.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(guid.startsWith("error"), guid);
        String up = awaitLive("200 ");
        assertTrue(up.contains("\"status\":\"UP\""), up);
        assertTrue(liberty.get("/health/ready").startsWith("200 "));
        assertTrue(liberty.get("/health/started").startsWith("200 "));
    }

    private String awaitLive(String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = liberty.get("/health/live");
            if (last.startsWith(status)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("liveness never answered " + status + ": " + last);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private Scrape awaitScrape(java.util.function.Predicate<Scrape> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Scrape last = scrape();
        while (!condition.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/metrics never met the condition; last:\n" + last.text);
            }
            Thread.sleep(100);
            last = scrape();
        }
        return last;
    }

    private Scrape scrape() throws Exception {
        String answer = liberty.get("/metrics?scope=application");
        assertTrue(answer.startsWith("200 "), answer);
        String text = answer.substring(4);
        Files.writeString(Path.of("target", "metrics-health-it.prom"), text); // the real names, for the README
        return new Scrape(text);
    }

    /** One /metrics answer: value by metric name and channel tag (or none). */
    static final class Scrape {
        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
        private static final Pattern CHANNEL = Pattern.compile("channel=\"((?:[^\"\\\\]|\\\\.)*)\"");
        final String text;
        private final Map<String, Double> values = new HashMap<>();

        Scrape(String text) {
            this.text = text;
            for (String line : text.split("\n")) {
                Matcher m = LINE.matcher(line.trim());
                if (!m.matches() || (m.group(2) != null && m.group(2).contains("quantile="))) {
                    continue;
                }
                Matcher channel = CHANNEL.matcher(m.group(2) == null ? "" : m.group(2));
                values.put(key(m.group(1), channel.find() ? channel.group(1) : null), Double.parseDouble(m.group(3)));
            }
        }

        private static String key(String name, String channel) {
            return channel == null ? name : name + "/" + channel;
        }

        boolean has(String name, String channel) {
            return values.containsKey(key(name, channel));
        }

        /** All four series of the channel are in /metrics. */
        boolean gauged(String channel) {
            return CHANNEL_GAUGES.stream().allMatch(gauge -> has("stan_channel_" + gauge, channel));
        }

        /** Any series of the channel is still in /metrics. */
        boolean anyGauge(String channel) {
            return CHANNEL_GAUGES.stream().anyMatch(gauge -> has("stan_channel_" + gauge, channel));
        }

        double value(String name, String channel) {
            Double value = values.get(key(name, channel));
            if (value == null) {
                throw new AssertionError("no " + key(name, channel) + " in /metrics:\n" + text);
            }
            return value;
        }

        double value(String name) {
            return value(name, null);
        }

        double delta(Scrape before, String name) {
            return value(name) - before.value(name);
        }
    }
}
