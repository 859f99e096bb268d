package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.StanClients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the Go server is made to store for GoStoreCompatibilityIT's fixture (run by {@code .ci/go-store-fixture}
 * against the real Go nats-streaming-server on its SQL store): a channel of {@link #MESSAGES} messages and a
 * durable (max in flight {@link #RECEIVED}) that acknowledged 1..{@link #ACKED}, then closed; the acks let the
 * Go server send the rest, so ACKED+1..MESSAGES are pending; then {@link #LATER} more are published.
 * Run once per store mode, on its own channel: the no-caching mode writes pending rows, the caching mode JSON.
 * The test holds the same constants: what a resumed durable must get follows from them.
 */
public final class GoStoreFixtureScenario {

    static final int MESSAGES = 20;
    static final int RECEIVED = 12;
    static final int ACKED = 9;
    static final int LATER = 5;

    static String channel(String mode) {
        return "go." + mode;
    }

    static String clientId(String mode) {
        return "go-" + mode + "-owner";
    }

    static String durableName(String mode) {
        return "dur-" + mode;
    }

    static String payload(String mode, int i) {
        return "written by the Go server, " + mode + " " + i;
    }

    private GoStoreFixtureScenario() {
    }

    /** Publishes, consumes part, acknowledges less, and closes: the durable stays, offline, with pending. */
    static void run(String natsUrl, String monitorUrl, String mode) throws Exception {
        String channel = channel(mode);
        try (StreamingConnection publisher = StanClients.connect("go-" + mode + "-publisher",
                options -> options.natsUrl(natsUrl))) {
            for (int i = 1; i <= MESSAGES; i++) {
                publisher.publish(channel, payload(mode, i).getBytes(StandardCharsets.UTF_8));
            }
        }
        try (StreamingConnection owner = StanClients.connect(clientId(mode), options -> options.natsUrl(natsUrl))) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            owner.subscribe(channel, received::add, new SubscriptionOptions.Builder().durableName(durableName(mode))
                    .deliverAllAvailable().manualAcks().maxInFlight(RECEIVED).ackWait(Duration.ofSeconds(60))
                    .build());
            List<Message> got = new ArrayList<>();
            for (int i = 0; i < RECEIVED; i++) {
                Message message = received.poll(10, TimeUnit.SECONDS);
                if (message == null) {
                    throw new IllegalStateException("the Go server delivered only " + got.size());
                }
                got.add(message);
            }
            for (Message message : got.subList(0, ACKED)) {
                message.ack();
            }
            awaitPending(monitorUrl, channel, MESSAGES - ACKED); // the acks processed before the close
        }
        try (StreamingConnection publisher = StanClients.connect("go-" + mode + "-publisher",
                options -> options.natsUrl(natsUrl))) {
            for (int i = MESSAGES + 1; i <= MESSAGES + LATER; i++) {
                publisher.publish(channel, payload(mode, i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads the Go server's channelsz until the durable's pending count is {@code expected} (10 s at most). */
    private static void awaitPending(String monitorUrl, String channel, int expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(monitorUrl + "/streaming/channelsz?subs=1&channel="
                + channel)).timeout(Duration.ofSeconds(5)).build();
        String wanted = "\"pending_count\": " + expected + ",";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (last.contains(wanted)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Go server never showed " + wanted + ": " + last);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GoStoreFixtureScenario <nats url> <Go monitoring url> <rows|json>");
            System.exit(2);
        }
        run(args[0], args[1], args[2]);
        System.out.println("stored channel " + channel(args[2]));
    }
}
