package io.stanee.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator sees of a running server, for tests that wait on its state instead of sleeping: the Go
 * monitoring endpoints ({@code /streaming/...}) and the application metrics.
 */
public final class ServerView {

    private final LibertyServer server;

    public ServerView(LibertyServer server) {
        this.server = server;
    }

    /** {@code /streaming/channelsz?channel=<name>&subs=1}, or empty when the server has no such channel (404). */
    public Optional<JsonObject> channel(String name) throws Exception {
        return object("/streaming/channelsz?subs=1&channel=" + name);
    }

    /** The channel's subscriptions (channelsz with subs=1) held by {@code clientId}. */
    public java.util.List<JsonObject> subscriptions(String channel, String clientId) throws Exception {
        JsonObject found = channel(channel).orElseThrow(() -> new AssertionError("no channel " + channel));
        if (!found.containsKey("subscriptions")) {
            return java.util.List.of();
        }
        return found.getJsonArray("subscriptions").stream().map(jakarta.json.JsonValue::asJsonObject)
                .filter(sub -> sub.getString("client_id").equals(clientId)).toList();
    }

    /** The channel's last sequence, as channelsz reports it. */
    public long lastSequence(String channel) throws Exception {
        return channel(channel).orElseThrow(() -> new AssertionError("no channel " + channel))
                .getJsonNumber("last_seq").longValue();
    }

    /**
     * Waits until the server has nothing unacknowledged for {@code clientId}'s subscriptions on the channel: its
     * acks arrived and were processed, so nothing of it can be redelivered.
     */
    public void awaitAcknowledged(String channel, String clientId) throws Exception {
        await(clientId + "'s acks on " + channel + " processed", Duration.ofSeconds(10), () -> {
            java.util.List<JsonObject> subs = subscriptions(channel, clientId);
            return !subs.isEmpty() && subs.stream().allMatch(sub -> sub.getInt("pending_count") == 0);
        });
    }

    /** {@code /streaming/clientsz?client=<id>}, or empty when the server has no such client (404). */
    public Optional<JsonObject> client(String clientId) throws Exception {
        return object("/streaming/clientsz?subs=1&client=" + clientId);
    }

    /** The names of the server's channels ({@code /streaming/channelsz}; Go leaves "names" out when empty). */
    public java.util.List<String> channelNames() throws Exception {
        JsonObject channels = object("/streaming/channelsz?limit=1024")
                .orElseThrow(() -> new AssertionError("/streaming/channelsz answered 404"));
        return !channels.containsKey("names") ? java.util.List.of()
                : channels.getJsonArray("names").getValuesAs(jakarta.json.JsonString::getString);
    }

    /** The value of an application metric ({@code stan_<name>} on /metrics?scope=application), as a long. */
    public long metric(String name) throws Exception {
        String metrics = server.get("/metrics?scope=application");
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+([0-9.Ee+-]+)$")
                .matcher(metrics);
        if (!value.find()) {
            throw new AssertionError("no metric " + name + " in: " + metrics);
        }
        return (long) Double.parseDouble(value.group(2));
    }

    private Optional<JsonObject> object(String path) throws Exception {
        String answer = server.get(path);
        if (answer.startsWith("404 ")) {
            return Optional.empty();
        }
        if (!answer.startsWith("200 ")) {
            throw new AssertionError("GET " + path + " answered " + answer);
        }
        try (var reader = Json.createReader(new StringReader(answer.substring(4)))) {
            return Optional.of(reader.readObject());
        }
    }

    /** A condition on the server's state, read again until it holds. */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds, reading it every 100 ms; fails after {@code timeout} naming {@code what}. */
    public static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
