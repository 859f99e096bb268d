package io.stanee.tools;

import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scale -lean} against a real stan-ee: the hand-written subscribing clients must be, for the server, the
 * same clients and durables the official Java client makes. Each test hands the durables from one kind of client
 * to the other between {@code load} and {@code resume}: resume passes only if the durables the other kind left
 * are found under the same client and durable names with every message acknowledged (an ack that never reached
 * the server comes back as an old message, which fails the recovery check).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleLeanIT {

    private static final int CHANNELS = 10;
    private static final int CLIENTS = 4;
    private static final int DURABLES = 8;
    private static final int MESSAGES = 25;

    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        liberty.deleteDerbyDatabase();
        liberty.configure(TestDatabase.DERBY.libertyVariables(liberty)).start();
    }

    @AfterAll
    void stop() throws Exception {
        liberty.stop();
    }

    @Test
    void leanLoadThenOfficialResume() throws Exception {
        String load = scale("load", "lean-a", true);
        assertTrue(load.contains("PHASE delivered durables_complete=" + DURABLES + " messages=" + DURABLES * MESSAGES
                + " redelivered=0"), load);
        assertTrue(load.contains("RESULT ok=true phase=load"), load);
        assertServerSawDurables("lean-a");

        String resume = scale("resume", "lean-a", false);
        assertTrue(resume.contains("PHASE recovery durables=" + DURABLES + " next_received=" + DURABLES
                + " old_redelivered=0 unexpected=0"), resume);
        assertTrue(resume.contains("RESULT ok=true phase=resume"), resume);
    }

    @Test
    void officialLoadThenLeanResume() throws Exception {
        String load = scale("load", "lean-b", false);
        assertTrue(load.contains("RESULT ok=true phase=load"), load);

        String resume = scale("resume", "lean-b", true);
        assertTrue(resume.contains("PHASE recovery durables=" + DURABLES + " next_received=" + DURABLES
                + " old_redelivered=0 unexpected=0"), resume);
        assertTrue(resume.contains("RESULT ok=true phase=resume"), resume);
        // the lean clients closed at the end: the server no longer lists them, and the durables stay
        for (int client = 0; client < CLIENTS; client++) {
            assertTrue(view.client("lean-b-sub-" + client).isEmpty(), "lean-b-sub-" + client + " closed");
        }
        assertEquals(1, view.subscriptions("lean-b.0", "lean-b-sub-0").size(), "dur-0 kept, offline");
    }

    /**
     * After a load: each durable is registered on its channel, under the client the tool names, with every
     * message sent and none pending (acknowledged), and every client has closed.
     */
    private void assertServerSawDurables(String prefix) throws Exception {
        for (int durable = 0; durable < DURABLES; durable++) {
            String channel = prefix + "." + durable % CHANNELS;
            String client = prefix + "-sub-" + durable % CLIENTS;
            List<JsonObject> subs = view.subscriptions(channel, client);
            assertEquals(1, subs.size(), "dur-" + durable + " on " + channel + " for " + client + ": " + subs);
            JsonObject sub = subs.get(0);
            assertEquals("dur-" + durable, sub.getString("durable_name"));
            assertEquals(MESSAGES, sub.getJsonNumber("last_sent").longValue(), "dur-" + durable + " last_sent");
            assertEquals(0, sub.getInt("pending_count"), "dur-" + durable + " pending");
            assertTrue(sub.getBoolean("is_offline"), "dur-" + durable + " offline after its client closed");
        }
        for (int client = 0; client < CLIENTS; client++) {
            assertTrue(view.client(prefix + "-sub-" + client).isEmpty(), prefix + "-sub-" + client + " closed");
        }
    }

    /** Runs a phase of the tool in this JVM, as `java -jar stanee-tools.jar scale ...` would; returns stdout. */
    private String scale(String phase, String prefix, boolean lean) {
        List<String> args = new ArrayList<>(List.of("scale", phase,
                "-s", "nats://127.0.0.1:4222", "-channels", String.valueOf(CHANNELS), "-np", "2",
                "-clients", String.valueOf(CLIENTS), "-durables", String.valueOf(DURABLES),
                "-n", String.valueOf(MESSAGES), "-ms", "256", "-timeout", "60s", "-id", prefix));
        if (phase.equals("load")) {
            args.addAll(List.of("-monitor", "http://127.0.0.1:" + liberty.httpPort()));
        }
        if (lean) {
            args.add("-lean");
        }
        args.add(prefix);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Tools.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(Tools.OK, code, "scale " + phase + (lean ? " -lean" : "") + ": " + printed);
        return printed;
    }
}
