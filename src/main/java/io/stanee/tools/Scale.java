package io.stanee.tools;

import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.SubscriptionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scale}: the many-channels, many-durables scenario of the scale benchmark ({@code .ci/scale-benchmark}),
 * in phases a script runs around a server restart (see {@link ScaleOptions#USAGE}). It talks to the server only
 * through the official Java client, so it measures the Go server and stan-ee the same way; with {@code -lean} the
 * subscribing clients are {@link LeanStanClients} instead (same protocol, a fraction of the generator's CPU).
 *
 * <p>Every wait is bounded by {@code -timeout}; a phase that does not complete fails the run (exit 1) with
 * the reason on stderr, and still prints its PHASE line with what it counted.
 */
final class Scale {

    private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
    private static final Duration READY_CONNECT_WAIT = Duration.ofSeconds(2);
    private static final long READY_RETRY_MILLIS = 50;
    private static final long MONITOR_POLL_MILLIS = 200;
    private static final int CONNECTING_THREADS = 8;
    private static final int MONITOR_PAGE = 1024;
    private static final Pattern NON_ZERO_PENDING = Pattern.compile("\"pending_count\"\\s*:\\s*[1-9]");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    private final ScaleOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final byte[] payload;
    private final List<StreamingConnection> connections = new ArrayList<>();
    /** Null: every subscribing client opens its own NATS connection. */
    private final SharedNatsConnections shared;
    /** With -lean, opened by the first subscribing phase: every subscribing client on it. */
    private LeanStanClients lean;
    private final long deadline;
    private volatile boolean failed;

    private Scale(ScaleOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.payload = new byte[options.messageSize()];
        this.deadline = System.nanoTime() + options.timeout().toNanos();
        this.shared = options.sharedNatsConnections() > 0 && !options.lean()
                ? new SharedNatsConnections(options.server(), options.sharedNatsConnections()) : null;
    }

    /** {@code args} are those after {@code scale}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ScaleOptions options;
        try {
            options = ScaleOptions.parse(args);
        } catch (CommandLine.UsageException e) {
            if (e.helpRequested()) {
                out.println(ScaleOptions.USAGE);
                return Tools.OK;
            }
            err.println("error: " + e.getMessage());
            err.println(ScaleOptions.USAGE);
            return Tools.USAGE;
        }
        Scale scale = new Scale(options, out, err);
        boolean ok;
        try {
            ok = switch (options.mode()) {
                case LOAD -> scale.load();
                case RESUME -> scale.resume();
                case READY -> scale.ready();
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted");
            ok = false;
        } finally {
            scale.closeAll();
        }
        ok &= !scale.failed;
        // this client's own CPU, to set beside the server's: on one machine they share the cores
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu -> scale.phase("client_cpu",
                "seconds", String.format(Locale.ROOT, "%.1f", cpu.toMillis() / 1000.0)));
        out.println("RESULT ok=" + ok + " phase=" + options.mode().name().toLowerCase(Locale.ROOT));
        return ok ? Tools.OK : Tools.FAILED;
    }

    /** Subscribe, publish, wait for every durable to have everything (and, with -monitor, for the acks). */
    private boolean load() throws InterruptedException {
        long start = System.nanoTime();
        CountDownLatch complete = new CountDownLatch(options.durables());
        List<Durable> durables = subscribeAll(complete, false);
        if (durables == null) {
            return false;
        }
        phase("connect", "clients", options.clients(), "durables", options.durables(),
                "seconds", seconds(start, System.nanoTime()));

        long messages = (long) options.channels() * options.messagesPerChannel();
        long publishStart = System.nanoTime();
        Publishing publishing = publish(options.messagesPerChannel());
        if (publishing == null) {
            return false;
        }
        boolean acked = publishing.await();
        long published = System.nanoTime();
        phase("publish", "messages", messages, "acked", publishing.acked.get(), "errors", publishing.errors.get(),
                "seconds", seconds(publishStart, published),
                "msgs_per_s", rate(publishing.acked.get(), publishStart, published));

        boolean delivered = await(complete);
        long deliveredAt = System.nanoTime();
        long received = durables.stream().mapToLong(d -> d.distinct).sum();
        long redelivered = durables.stream().mapToLong(d -> d.duplicates).sum();
        phase("delivered", "durables_complete", options.durables() - complete.getCount(),
                "messages", received, "redelivered", redelivered,
                "seconds", seconds(publishStart, deliveredAt), "msgs_per_s", rate(received, publishStart, deliveredAt));
        if (!delivered) {
            err.println("Timed out: " + complete.getCount() + " durable(s) did not receive every message");
        }
        boolean settled = true;
        if (delivered && options.monitor() != null) {
            settled = awaitNoPending();
            phase("settled", "no_pending", settled, "seconds", seconds(deliveredAt, System.nanoTime()));
        }
        return acked && publishing.errors.get() == 0 && delivered && settled
                && durables.stream().allMatch(d -> d.unexpected == 0);
    }

    /** The durables come back after a restart; one more message each, and nothing they had acked. */
    private boolean resume() throws InterruptedException {
        long start = System.nanoTime();
        CountDownLatch nextArrived = new CountDownLatch(options.durables());
        List<Durable> durables = subscribeAll(nextArrived, true);
        if (durables == null) {
            return false;
        }
        long subscribed = System.nanoTime();
        phase("resubscribe", "clients", options.clients(), "durables", options.durables(),
                "seconds", seconds(start, subscribed));
        Publishing publishing = publish(1);
        if (publishing == null) {
            return false;
        }
        boolean acked = publishing.await();
        boolean arrived = await(nextArrived);
        long old = durables.stream().mapToLong(d -> d.old).sum();
        long unexpected = durables.stream().mapToLong(d -> d.unexpected).sum();
        phase("recovery", "durables", options.durables(), "next_received", options.durables() - nextArrived.getCount(),
                "old_redelivered", old, "unexpected", unexpected, "seconds", seconds(subscribed, System.nanoTime()));
        if (old > 0) {
            err.println(old + " message(s) acknowledged before the restart were delivered again");
        }
        if (!arrived) {
            err.println("Timed out: " + nextArrived.getCount() + " durable(s) did not get the next message");
        }
        return acked && publishing.errors.get() == 0 && arrived && old == 0 && unexpected == 0;
    }

    /** Connects until the server answers; the time is counted from -since, the script's start command. */
    private boolean ready() throws InterruptedException {
        for (int attempt = 0; System.nanoTime() - deadline < 0; attempt++) {
            try {
                StreamingConnection connection = NatsStreaming.connect(options.cluster(),
                        options.clientIdPrefix() + "-ready-" + attempt,
                        new Options.Builder().natsUrl(options.server()).clusterId(options.cluster())
                                .clientId(options.clientIdPrefix() + "-ready-" + attempt)
                                .connectWait(READY_CONNECT_WAIT).build());
                double seconds = (System.currentTimeMillis() - options.sinceMillis()) / 1000.0;
                closeQuietly(connection);
                phase("ready", "attempts", attempt + 1, "seconds", String.format(Locale.ROOT, "%.2f", seconds));
                return true;
            } catch (IOException | RuntimeException e) {
                Thread.sleep(READY_RETRY_MILLIS);
            }
        }
        err.println("The server did not answer a connect within " + options.timeout().toSeconds() + "s");
        return false;
    }

    /** Opens the subscriber connections and their durables, in parallel; null (reported) if one fails. */
    private List<Durable> subscribeAll(CountDownLatch done, boolean resuming) throws InterruptedException {
        List<Durable> durables = new ArrayList<>();
        for (int i = 0; i < options.durables(); i++) {
            durables.add(new Durable(i, done, resuming));
        }
        if (options.lean() && !openLean()) {
            return null;
        }
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTING_THREADS);
        try {
            List<Future<Boolean>> clients = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                int client = c;
                clients.add(pool.submit(() -> openClient(client, durables)));
            }
            boolean ok = true;
            for (Future<Boolean> client : clients) {
                ok &= waitFor(client);
            }
            return ok ? durables : null;
        } finally {
            pool.shutdownNow();
        }
    }

    private boolean openClient(int client, List<Durable> durables) throws InterruptedException {
        String clientId = options.clientIdPrefix() + "-sub-" + client;
        DurableSubscriber subscriber = lean != null ? leanClient(clientId) : officialClient(clientId, client);
        if (subscriber == null) {
            return false;
        }
        for (Durable durable : durables) {
            if (options.clientOf(durable.index) != client) {
                continue;
            }
            try {
                subscriber.subscribe(durable);
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                err.println(clientId + " can't subscribe dur-" + durable.index + ": " + Tools.reason(e));
                return false;
            }
        }
        return true;
    }

    /** A connected subscribing client, official or lean: it opens the subscriptions of its durables. */
    @FunctionalInterface
    private interface DurableSubscriber {
        void subscribe(Durable durable)
                throws IOException, java.util.concurrent.TimeoutException, InterruptedException;
    }

    /** An official streaming connection (on a shared NATS connection with -nc); null (reported) if it fails. */
    private DurableSubscriber officialClient(String clientId, int client) throws InterruptedException {
        StreamingConnection connection = connect(clientId, client);
        if (connection == null) {
            return null;
        }
        return durable -> connection.subscribe(options.channelOf(durable.index),
                message -> durable.onMessage(message.getSequence(), message::ack),
                new SubscriptionOptions.Builder().durableName(durableName(durable)).deliverAllAvailable()
                        .manualAcks().maxInFlight(options.maxInFlight()).build());
    }

    /** A -lean client: the same requests, answered on the one shared connection; null (reported) if it fails. */
    private DurableSubscriber leanClient(String clientId) throws InterruptedException {
        try {
            LeanStanClients.Client connection = lean.connect(clientId);
            return durable -> connection.subscribe(options.channelOf(durable.index), durableName(durable),
                    options.maxInFlight(), durable::onMessage);
        } catch (IOException | RuntimeException e) {
            err.println("Client " + clientId + " can't connect: " + Tools.reason(e));
            return null;
        }
    }

    private static String durableName(Durable durable) {
        return "dur-" + durable.index;
    }

    /** Opens the one NATS connection of the -lean subscribers, once; false (reported) if it fails. */
    private boolean openLean() throws InterruptedException {
        if (lean != null) {
            return true;
        }
        try {
            lean = new LeanStanClients(options.server(), options.cluster(), CONNECT_WAIT, problem -> {
                err.println(problem);
                failed = true;
            });
            return true;
        } catch (IOException | RuntimeException e) {
            err.println("The lean subscribers can't connect to NATS: " + Tools.reason(e));
            return false;
        }
    }

    /** Starts the publishers, each on the channels {@code i mod np}, {@code perChannel} rounds over them. */
    private Publishing publish(int perChannel) throws InterruptedException {
        Publishing publishing = new Publishing((long) options.channels() * perChannel);
        List<StreamingConnection> publishers = new ArrayList<>();
        for (int p = 0; p < options.publishers(); p++) {
            StreamingConnection connection = connect(options.clientIdPrefix() + "-pub-" + p, -1);
            if (connection == null) {
                return null;
            }
            publishers.add(connection);
        }
        for (int p = 0; p < publishers.size(); p++) {
            StreamingConnection connection = publishers.get(p);
            int first = p;
            Thread thread = new Thread(() -> {
                for (int round = 0; round < perChannel && !failed; round++) {
                    for (int c = first; c < options.channels() && !failed; c += options.publishers()) {
                        publishing.publish(connection, options.channel(c));
                    }
                }
            }, "scale-pub-" + p);
            thread.setDaemon(true);
            thread.start();
        }
        return publishing;
    }

    /** A streaming connection; a subscribing client ({@code client} >= 0) on a shared NATS connection if any. */
    private StreamingConnection connect(String clientId, int client) throws InterruptedException {
        Options.Builder connectOptions = new Options.Builder()
                .natsUrl(options.server()).clusterId(options.cluster()).clientId(clientId)
                .connectWait(CONNECT_WAIT).maxPubAcksInFlight(options.maxPubAcksInFlight())
                .pubAckWait(options.pubAckWait())
                .connectionLostHandler((connection, reason) -> {
                    err.println("Connection lost for " + clientId + ": " + (reason == null ? "?" : reason.getMessage()));
                    failed = true;
                });
        try {
            if (shared != null && client >= 0) {
                connectOptions.natsConn(shared.forClient(client));
            }
            StreamingConnection connection = NatsStreaming.connect(options.cluster(), clientId,
                    connectOptions.build());
            synchronized (connections) {
                connections.add(connection);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            err.println("Client " + clientId + " can't connect: " + Tools.reason(e));
            return null;
        }
    }

    /** Polls /streaming/channelsz?subs=1 page by page until no subscription has a pending message. */
    private boolean awaitNoPending() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (!anyPending(http)) {
                    return true;
                }
            } catch (IOException e) {
                err.println("Monitoring endpoint: " + Tools.reason(e));
            }
            Thread.sleep(MONITOR_POLL_MILLIS);
        }
        err.println("Timed out: channelsz still shows pending messages");
        return false;
    }

    private boolean anyPending(HttpClient http) throws IOException, InterruptedException {
        long total = Long.MAX_VALUE;
        for (long offset = 0; offset < total; offset += MONITOR_PAGE) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(options.monitor()
                    + "/streaming/channelsz?subs=1&offset=" + offset + "&limit=" + MONITOR_PAGE))
                    .timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("channelsz answered " + response.statusCode());
            }
            if (NON_ZERO_PENDING.matcher(response.body()).find()) {
                return true;
            }
            Matcher matcher = TOTAL.matcher(response.body());
            total = matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
        }
        return false;
    }

    private boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private boolean waitFor(Future<Boolean> task) throws InterruptedException {
        try {
            return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("Connecting failed: " + Tools.reason(e.getCause()));
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            err.println("Timed out connecting and subscribing");
            return false;
        }
    }

    /** Closes the connections in parallel; durables stay registered (closing is not unsubscribing). */
    private void closeAll() {
        List<Runnable> closes = new ArrayList<>();
        synchronized (connections) {
            connections.forEach(connection -> closes.add(() -> closeQuietly(connection)));
        }
        if (lean != null) {
            lean.clients().forEach(client -> closes.add(() -> closeLean(client)));
        }
        if (!closes.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTING_THREADS);
            closes.forEach(pool::execute);
            pool.shutdown();
            try {
                if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                    err.println("Gave up waiting for connections to close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool.shutdownNow();
        }
        closeLeanConnection();
        closeShared();
    }

    /** A lean client's CloseRequest; a failure is reported (stderr) but, as with the official clients, not counted. */
    private void closeLean(LeanStanClients.Client client) {
        try {
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            err.println("Client " + client.clientId() + " close failed: " + Tools.reason(e));
        }
    }

    /** The lean subscribers' NATS connection, after their CloseRequests (or after giving up on them). */
    private void closeLeanConnection() {
        if (lean == null) {
            return;
        }
        try {
            lean.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shared NATS connections go last: the streaming clients on them have closed (or given up). */
    private void closeShared() {
        if (shared == null) {
            return;
        }
        try {
            shared.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(StreamingConnection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client may throw while closing with acks in flight; the NATS connection is closed anyway
        }
    }

    private void phase(String name, Object... keysAndValues) {
        StringBuilder line = new StringBuilder("PHASE ").append(name);
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            line.append(' ').append(keysAndValues[i]).append('=').append(keysAndValues[i + 1]);
        }
        out.println(line);
        out.flush();
    }

    private static String seconds(long fromNanos, long toNanos) {
        return String.format(Locale.ROOT, "%.2f", (toNanos - fromNanos) / 1e9);
    }

    private static long rate(long count, long fromNanos, long toNanos) {
        long nanos = Math.max(1, toNanos - fromNanos);
        return Math.round(count * 1e9 / nanos);
    }

    /** The acks of one publishing round, counted as they come. */
    private final class Publishing {
        final CountDownLatch outcomes;
        final AtomicLong acked = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        Publishing(long messages) {
            this.outcomes = new CountDownLatch(Math.toIntExact(messages));
        }

        void publish(StreamingConnection connection, String channel) {
            try {
                connection.publish(channel, payload, (guid, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else if (errors.incrementAndGet() <= 10) {
                        err.println("Publish to " + channel + " failed: " + Tools.reason(error));
                    }
                    outcomes.countDown();
                });
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                errors.incrementAndGet();
                outcomes.countDown();
                err.println("Publish to " + channel + " failed: " + Tools.reason(e));
                failed = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = true;
            }
        }

        boolean await() throws InterruptedException {
            boolean done = Scale.this.await(outcomes);
            if (!done) {
                err.println("Timed out: " + outcomes.getCount() + " publish(es) not acknowledged");
            }
            return done;
        }
    }

    /** How a delivered message is acknowledged, whichever client (official or lean) delivered it. */
    @FunctionalInterface
    interface Ack {
        void send() throws IOException;
    }

    /**
     * One durable subscription's tally. Loading, it expects sequences 1..n (a fresh channel) and counts each once;
     * resuming, it expects exactly n+1 and counts anything at or below n as an old message delivered again.
     */
    private final class Durable {
        final int index;
        final CountDownLatch done;
        final boolean resuming;
        final BitSet seen = new BitSet();
        // written under the lock by the dispatcher, read by the main thread when the phase ends
        volatile long distinct;
        volatile long duplicates;
        volatile long old;
        volatile long unexpected;

        Durable(int index, CountDownLatch done, boolean resuming) {
            this.index = index;
            this.done = done;
            this.resuming = resuming;
        }

        /**
         * Runs on a dispatcher thread (the official client's for this connection, or the lean clients' one), with
         * the message's sequence and the way to ack it; the tallies are read after the latch.
         */
        synchronized void onMessage(long sequence, Ack ack) {
            int n = options.messagesPerChannel();
            if (resuming) {
                if (sequence <= n) {
                    old++;
                } else if (sequence == n + 1 && !seen.get(0)) {
                    seen.set(0);
                    done.countDown();
                } else if (sequence != n + 1) {
                    unexpected++;
                }
            } else if (sequence < 1 || sequence > n) {
                unexpected++;
            } else if (seen.get((int) sequence)) {
                duplicates++;
            } else {
                seen.set((int) sequence);
                if (++distinct == n) {
                    done.countDown();
                }
            }
            try {
                ack.send();
            } catch (IOException e) {
                err.println("Ack of dur-" + index + " #" + sequence + " failed: " + Tools.reason(e));
                failed = true;
            }
        }
    }
}
