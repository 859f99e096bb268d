package io.stanee.it;

import io.stanee.it.MonitoringScenario.Answer;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Go server's monitoring endpoints on stan-ee: {@link MonitoringScenario} runs against stan-ee and every
 * answer is compared with what the Go server 0.25.6 answered to the same scenario
 * (src/test/resources/go-monitor, recorded by .ci/monitor-fixtures): status, content type, and for JSON every
 * field's name, order, JSON type and value, except the values that depend on time, process or random IDs (those
 * must still be there, with the right type and shape). Then the whole text, with those values masked, so that
 * the formatting is Go's too. On its own NATS (4360), Liberty server stanee-mon (9096) and embedded Derby.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringIT {

    private static final Path FIXTURES = Path.of("src/test/resources/go-monitor");
    private static final int HTTP_PORT = 9096;

    /** Values of these fields depend on the process, the clock or random IDs: only presence, type and shape count. */
    private static final Map<String, Pattern> VOLATILE = Map.ofEntries(
            Map.entry("server_id", Pattern.compile("[0-9A-Za-z]{22}")),
            Map.entry("version", Pattern.compile("\\S+")),
            Map.entry("go", Pattern.compile("\\S+")),
            Map.entry("now", Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)")),
            Map.entry("start_time", Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)")),
            Map.entry("uptime", Pattern.compile("(\\d+y)?(\\d+d)?(\\d+h)?(\\d+m)?\\d+s")),
            Map.entry("hb_inbox", Pattern.compile("_INBOX\\.[0-9A-Za-z]+")),
            Map.entry("inbox", Pattern.compile("_INBOX\\.[0-9A-Za-z]+")),
            // the Go server picks _INBOX.<nuid>, stan-ee <AcksSubs>.<nuid>: both plain subjects of the server's
            Map.entry("ack_inbox", Pattern.compile("[0-9A-Za-z_-]+(\\.[0-9A-Za-z_-]+)+")),
            Map.entry("open_fds", Pattern.compile("[1-9]\\d*")),
            Map.entry("max_fds", Pattern.compile("[1-9]\\d*")));
    private static final Pattern MASK = Pattern.compile(
            "\"(" + String.join("|", VOLATILE.keySet()) + ")\": (\"[^\"]*\"|\\d+)");

    private final NatsServer nats = new NatsServer(4360);
    private LibertyServer liberty;

    @BeforeAll
    void start() throws Exception {
        nats.start();
        liberty = LibertyServer.another("stanee-mon", HTTP_PORT);
        liberty.deleteDerbyDatabase();
        Map<String, String> variables = new LinkedHashMap<>(MonitoringScenario.STANEE_LIMITS);
        variables.put("stan.db", "derby");
        variables.put("stan.derby.dir", liberty.derbyDirectory().toString());
        variables.put("stan.nats_server", nats.url());
        liberty.configure(variables).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    @Test
    void everyEndpointAnswersAsTheGoServerDid() throws Exception {
        Map<String, Answer> go = MonitoringScenario.load(FIXTURES);
        assertEquals(MonitoringScenario.REQUESTS.keySet(), go.keySet(), "a fixture for every request");
        Map<String, Answer> ours;
        try (MonitoringScenario scenario = new MonitoringScenario(nats.url())) {
            scenario.run();
            ours = MonitoringScenario.fetch("http://127.0.0.1:" + HTTP_PORT);
        }
        List<String> differences = new ArrayList<>();
        Set<String> serverIds = new HashSet<>();
        for (Map.Entry<String, Answer> expected : go.entrySet()) {
            String name = expected.getKey();
            Answer want = expected.getValue();
            Answer got = ours.get(name);
            if (want.status() != got.status()) {
                differences.add(name + ": status " + got.status() + ", Go " + want.status() + " (" + got.body() + ")");
                continue;
            }
            if (!want.contentType().equals(got.contentType())) {
                differences.add(name + ": content type " + got.contentType() + ", Go " + want.contentType());
            }
            String wantJson = json(want);
            String gotJson = json(got);
            if (wantJson == null) {
                if (!want.body().equals(got.body())) {
                    differences.add(name + ": body\n" + got.body() + "\nGo:\n" + want.body());
                }
                continue;
            }
            compare(name, parse(wantJson), parse(gotJson), differences, serverIds);
            if (!mask(wantJson).equals(mask(gotJson))) {
                differences.add(name + ": text differs (volatile values masked)\n" + mask(gotJson) + "\nGo:\n"
                        + mask(wantJson));
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " differences from the Go server:\n"
                + String.join("\n", differences));
        assertEquals(1, serverIds.size(), "one server_id in every answer: " + serverIds);

        JsonObject serverz = parse(json(ours.get("serverz"))).asJsonObject();
        OffsetDateTime started = OffsetDateTime.parse(serverz.getString("start_time"));
        OffsetDateTime now = OffsetDateTime.parse(serverz.getString("now"));
        assertFalse(started.isAfter(now), "started before now: " + serverz);
        assertTrue(started.isAfter(now.minusMinutes(10)), "started by this test: " + serverz);
        assertEquals("STANDALONE", serverz.getString("state"));
    }

    /** The JSON of an answer (JSONP unwrapped), or null when it is not JSON. */
    private static String json(Answer answer) {
        if (answer.contentType().equals("application/json")) {
            return answer.body();
        }
        if (answer.contentType().equals("application/javascript")) {
            String body = answer.body();
            assertTrue(body.startsWith("cb(") && body.endsWith(")"), "JSONP: " + body);
            return body.substring(3, body.length() - 1);
        }
        return null;
    }

    private static JsonValue parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    private static String mask(String json) {
        return MASK.matcher(json).replaceAll("\"$1\": <masked>");
    }

    private static void compare(String where, JsonValue want, JsonValue got, List<String> differences,
                                Set<String> serverIds) {
        if (kind(want) != kind(got)) {
            differences.add(where + ": " + kind(got) + " " + got + ", Go " + kind(want) + " " + want);
            return;
        }
        switch (want.getValueType()) {
            case OBJECT -> {
                JsonObject w = want.asJsonObject();
                JsonObject g = got.asJsonObject();
                if (!List.copyOf(w.keySet()).equals(List.copyOf(g.keySet()))) {
                    differences.add(where + ": fields " + g.keySet() + ", Go " + w.keySet());
                    return;
                }
                for (String key : w.keySet()) {
                    String at = where + "." + key;
                    if (VOLATILE.containsKey(key) && kind(w.get(key)) != JsonValue.ValueType.OBJECT) {
                        String value = text(g.get(key));
                        if (!VOLATILE.get(key).matcher(value).matches()) {
                            differences.add(at + ": " + value + " is not shaped as " + VOLATILE.get(key));
                        }
                        if (!VOLATILE.get(key).matcher(text(w.get(key))).matches()) {
                            differences.add(at + ": the Go fixture's " + w.get(key) + " is not shaped as expected");
                        }
                        if (key.equals("server_id")) {
                            serverIds.add(value);
                        }
                        if (kind(w.get(key)) != kind(g.get(key))) {
                            differences.add(at + ": type " + kind(g.get(key)) + ", Go " + kind(w.get(key)));
                        }
                    } else {
                        compare(at, w.get(key), g.get(key), differences, serverIds);
                    }
                }
            }
            case ARRAY -> {
                List<JsonValue> w = ordered(where, want.asJsonArray());
                List<JsonValue> g = ordered(where, got.asJsonArray());
                if (w.size() != g.size()) {
                    differences.add(where + ": " + g.size() + " elements, Go " + w.size() + ": " + got);
                    return;
                }
                for (int i = 0; i < w.size(); i++) {
                    compare(where + "[" + i + "]", w.get(i), g.get(i), differences, serverIds);
                }
            }
            case NUMBER -> {
                JsonNumber w = (JsonNumber) want;
                JsonNumber g = (JsonNumber) got;
                if (!g.isIntegral() || !w.bigDecimalValue().equals(g.bigDecimalValue())) {
                    differences.add(where + ": " + got + ", Go " + want);
                }
            }
            default -> {
                if (!want.equals(got)) {
                    differences.add(where + ": " + got + ", Go " + want);
                }
            }
        }
    }

    /**
     * A channel's subscriptions come in the Go server's map order (offline durables and queue groups are Go maps):
     * compared by who they are, not where they are.
     */
    private static List<JsonValue> ordered(String where, JsonArray array) {
        List<JsonValue> elements = new ArrayList<>(array);
        if (where.endsWith("subscriptions")) {
            elements.sort(Comparator.comparing(sub -> sub.asJsonObject().getString("client_id") + "/"
                    + sub.asJsonObject().getString("durable_name", "") + "/"
                    + sub.asJsonObject().getString("queue_name", "") + "/"
                    + sub.asJsonObject().getBoolean("is_offline")));
        }
        return elements;
    }

    private static JsonValue.ValueType kind(JsonValue value) {
        return value.getValueType() == JsonValue.ValueType.FALSE ? JsonValue.ValueType.TRUE : value.getValueType();
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : value.toString();
    }
}
