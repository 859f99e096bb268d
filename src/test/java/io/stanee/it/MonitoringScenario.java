package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.MessageHandler;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.testing.StanClients;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One fixed scenario for the monitoring endpoints, run against the Go server by {@code .ci/monitor-fixtures}
 * (which saves its answers under src/test/resources/go-monitor) and against stan-ee by {@link MonitoringIT}
 * (which compares): two clients, three channels with messages, a durable with pending acks, a durable queue
 * member that is stalled, an offline durable and a plain subscription on a channel without messages.
 * Both servers run with the same limits ({@link #GO_CONFIG}, {@link #STANEE_LIMITS}).
 */
final class MonitoringScenario implements AutoCloseable {

    /** The requests whose answers are compared: file name, path and query. */
    static final Map<String, String> REQUESTS = requests();

    /** The per-channel limits, as the Go server's configuration file ... */
    static final String GO_CONFIG = """
            store_limits: {
              channels: {
                "mon.orders": { max_msgs: 100 }
                "mon.*": { max_age: "1h", max_subs: 50 }
              }
            }
            """;
    /** ... and as stan-ee's properties. */
    static final Map<String, String> STANEE_LIMITS = Map.of(
            "stan.channels.mon.orders.max_msgs", "100",
            "stan.channels.mon.*.max_age", "1h",
            "stan.channels.mon.*.max_subs", "50");

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String natsUrl;
    private final List<AutoCloseable> open = new ArrayList<>();

    MonitoringScenario(String natsUrl) {
        this.natsUrl = natsUrl;
    }

    private static Map<String, String> requests() {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("root", "/streaming");
        requests.put("serverz", "/streaming/serverz");
        requests.put("serverz-jsonp", "/streaming/serverz?callback=cb");
        requests.put("storez", "/streaming/storez");
        requests.put("clientsz", "/streaming/clientsz");
        requests.put("clientsz-subs", "/streaming/clientsz?subs=1");
        requests.put("clientsz-page", "/streaming/clientsz?offset=1&limit=1&subs=1");
        requests.put("clientsz-past-end", "/streaming/clientsz?offset=5");
        requests.put("clientsz-bad-paging", "/streaming/clientsz?offset=-3&limit=0");
        requests.put("client-sub", "/streaming/clientsz?client=mon-sub&subs=1");
        requests.put("client-pub", "/streaming/clientsz?client=mon-pub");
        requests.put("client-unknown", "/streaming/clientsz?client=nobody&subs=1");
        requests.put("channelsz", "/streaming/channelsz");
        requests.put("channelsz-subs", "/streaming/channelsz?subs=1");
        requests.put("channelsz-page", "/streaming/channelsz?offset=1&limit=1");
        requests.put("channelsz-subs-page", "/streaming/channelsz?subs=1&offset=2&limit=5");
        requests.put("channelsz-past-end", "/streaming/channelsz?offset=10");
        requests.put("channel-orders", "/streaming/channelsz?channel=mon.orders&subs=1");
        requests.put("channel-events", "/streaming/channelsz?channel=mon.events&subs=1");
        requests.put("channel-events-nosubs", "/streaming/channelsz?channel=mon.events");
        requests.put("channel-empty", "/streaming/channelsz?channel=mon.empty&subs=1");
        requests.put("channel-unknown", "/streaming/channelsz?channel=nope");
        requests.put("isFTActive", "/streaming/isFTActive");
        return requests;
    }

    /** Builds the state; returns once every delivery the scenario expects has arrived. */
    void run() throws Exception {
        StreamingConnection pub = connect("mon-pub");
        StreamingConnection sub = connect("mon-sub");
        for (int i = 1; i <= 5; i++) {
            pub.publish("mon.orders", ("order-" + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 1; i <= 3; i++) {
            pub.publish("mon.events", ("event-" + i).getBytes(StandardCharsets.UTF_8));
        }
        // a durable that acknowledges nothing: 5 pending
        CountDownLatch orders = new CountDownLatch(5);
        sub.subscribe("mon.orders", message -> orders.countDown(), new SubscriptionOptions.Builder()
                .deliverAllAvailable().durableName("dur").manualAcks().maxInFlight(10)
                .ackWait(Duration.ofSeconds(60)).build());
        await(orders, "the durable's 5 messages");
        // a durable queue member that acknowledges nothing with max in flight 2: stalled after 2 of the 3
        CountDownLatch events = new CountDownLatch(2);
        sub.subscribe("mon.events", "workers", message -> events.countDown(), new SubscriptionOptions.Builder()
                .deliverAllAvailable().durableName("qdur").manualAcks().maxInFlight(2)
                .ackWait(Duration.ofSeconds(60)).build());
        await(events, "the queue member's 2 messages");
        // a durable that acknowledges all 3 (before it counts them, so the acks precede the close), then closes
        CountDownLatch gone = new CountDownLatch(3);
        MessageHandler ackThenCount = message -> {
            ack(message);
            gone.countDown();
        };
        Subscription offline = pub.subscribe("mon.events", ackThenCount, new SubscriptionOptions.Builder()
                .deliverAllAvailable().durableName("gone").manualAcks().ackWait(Duration.ofSeconds(60)).build());
        await(gone, "the closing durable's 3 messages");
        offline.close();
        // a plain subscription that makes a channel without messages
        pub.subscribe("mon.empty", message -> { }, new SubscriptionOptions.Builder().build());
    }

    private StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        StreamingConnection connection = StanClients.connect(clientId, options -> options.natsUrl(natsUrl));
        open.add(0, connection);
        return connection;
    }

    private static void ack(Message message) {
        try {
            message.ack();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("not received within " + WAIT.toSeconds() + " s: " + what + " ("
                    + latch.getCount() + " missing)");
        }
    }

    /** One monitoring answer. */
    record Answer(int status, String contentType, String body) {
    }

    /** Every request of {@link #REQUESTS}, in order. */
    static Map<String, Answer> fetch(String baseUrl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> request : REQUESTS.entrySet()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + request.getValue()))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            answers.put(request.getKey(), new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body()));
        }
        return answers;
    }

    /** The saved answers: index.tsv (name, status, content type, path) and one body file per answer. */
    static Map<String, Answer> load(Path directory) throws IOException {
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directory.resolve("index.tsv"))) {
            String[] fields = line.split("\t", -1);
            answers.put(fields[0], new Answer(Integer.parseInt(fields[1]), fields[2],
                    Files.readString(directory.resolve(fields[0] + ".body"))));
        }
        return answers;
    }

    static void save(Map<String, Answer> answers, Path directory) throws IOException {
        Files.createDirectories(directory);
        StringBuilder index = new StringBuilder();
        answers.forEach((name, answer) -> {
            index.append(name).append('\t').append(answer.status()).append('\t').append(answer.contentType())
                    .append('\t').append(REQUESTS.get(name)).append('\n');
        });
        for (Map.Entry<String, Answer> answer : answers.entrySet()) {
            Files.writeString(directory.resolve(answer.getKey() + ".body"), answer.getValue().body());
        }
        Files.writeString(directory.resolve("index.tsv"), index);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable connection : open) {
            connection.close();
        }
        open.clear();
    }

    /** {@code record <nats url> <monitoring base url> <directory>}: what .ci/monitor-fixtures runs. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !args[0].equals("record")) {
            System.err.println("usage: MonitoringScenario record <nats url> <monitoring base url> <directory>");
            System.exit(2);
        }
        try (MonitoringScenario scenario = new MonitoringScenario(args[1])) {
            scenario.run();
            save(fetch(args[2]), Path.of(args[3]));
        }
        System.out.println("saved " + REQUESTS.size() + " answers in " + args[3]);
    }
}
