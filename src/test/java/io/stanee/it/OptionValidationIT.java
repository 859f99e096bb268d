package io.stanee.it;

import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An invalid option on a real Liberty instance (its own, stanee-h1, beside its own nats-server): stan-ee does not
 * start, its log has one message naming the option and the value, /health is DOWN with that message as the
 * reason, and a client gets no answer; with the option corrected the same server serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptionValidationIT {

    private static final String MESSAGE = "stan: invalid value \"abc\" for option stan.hb_interval: not a duration "
            + "(examples: 30s, 1m30s, 500ms)";
    /** Liberty's first start on a busy machine takes long; the wait ends as soon as the answer is there. */
    private static final Duration START = Duration.ofSeconds(240);

    private final NatsServer nats = new NatsServer(4371);
    private LibertyServer liberty;

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    @Test
    void anInvalidOptionStopsTheStartWithOneMessageAndTheCorrectedOneServes() throws Exception {
        nats.start();
        liberty = LibertyServer.another("stanee-h1", 9101);
        liberty.configure(Map.of("stan.nats_server", nats.url(), "stan.hb_interval", "abc")).startWithoutWaiting();

        String ready = liberty.awaitHealth("\"role\":\"refused\"", START);
        String escaped = MESSAGE.replace("\"", "\\\"");
        assertTrue(ready.startsWith("503 "), "not ready: " + ready);
        assertTrue(ready.contains("\"reason\":\"" + escaped + "\""), "the readiness answer says why: " + ready);
        String health = liberty.get("/health");
        assertTrue(health.startsWith("503 ") && health.contains(escaped), "so does /health: " + health);
        String log = liberty.messagesLog();
        // stan-ee's own lines (Liberty's health checks log the DOWN answers with the reason too)
        List<String> lines = log.lines().filter(line -> line.contains(" io.stanee.")
                && line.contains("stan: invalid value")).toList();
        assertEquals(1, lines.size(), "one message in the log: " + lines);
        assertTrue(lines.get(0).contains(MESSAGE), lines.get(0));
        assertThrows(Exception.class, () -> connect("validation-refused", Duration.ofSeconds(3)),
                "nobody answers a client: the instance subscribed to nothing");

        liberty.stop();
        liberty.configure(Map.of("stan.nats_server", nats.url(), "stan.hb_interval", "5s"));
        liberty.startWithoutWaiting();
        assertTrue(liberty.awaitHealth("\"role\":\"active\"", START).startsWith("200 "));
        assertTrue(liberty.messagesLog().lines().noneMatch(line -> line.contains("stan: invalid value")));
        try (StreamingConnection client = connect("validation-fixed", Duration.ofSeconds(10))) {
            client.publish("validated", "hello".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("hello"), StanClients.receiveAll(client, "validated", 1, Duration.ofSeconds(15))
                    .stream().map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList());
        }
    }

    private StreamingConnection connect(String clientId, Duration wait) throws Exception {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url()).connectWait(wait));
    }
}
