package io.stanee.tools;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench}: a load generator and throughput/latency report in the manner of the Go client's stan-bench.
 *
 * <p>Subscribers connect and subscribe first; then the publishers connect, and all of them start publishing
 * together, each its share of {@code -n} messages. A publisher's throughput runs from its first publish to its
 * last ack, a subscriber's from its first message to the last one it was waiting for. Latency is publish to
 * ack: for {@code -a}, from just before the publish call to the ack handler (so it includes any wait for a free
 * in-flight slot under {@code -mpa}); for synchronous publishing, the duration of the blocking publish call.
 *
 * <p>The run fails (exit 1) when a publish or its ack fails, a message is not acked, or a subscriber does not
 * get every message (counted once per sequence, so redeliveries neither hide a loss nor count twice) before
 * {@code -timeout}. Every wait is bounded by that deadline or by the client's own timeouts.
 */
final class Bench {

    // Generous: a SQL-backed server may be slow to answer the first connect requests of a burst of clients.
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(10);
    private static final long JOIN_AFTER_TIMEOUT_MILLIS = 5_000;
    private static final long CLOSE_WAIT_SECONDS = 30;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_ERRORS_SHOWN = 10;

    private final BenchOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final byte[] payload;
    private final boolean queue;
    /** Set when a connection is lost or the run gives up: publishers stop, waits end. */
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicInteger errorsShown = new AtomicInteger();
    private final CountDownLatch startGate = new CountDownLatch(1);
    private final List<PubClient> publishers = new ArrayList<>();
    private final List<SubClient> subscribers = new ArrayList<>();
    private final List<StreamingConnection> connections = new ArrayList<>();
    /** With a queue group, the members share one tally and one latch; otherwise each subscriber counts down. */
    private final SequenceTracker groupSequences = new SequenceTracker();
    private final AtomicLong groupCounted = new AtomicLong();
    private CountDownLatch subscribersDone;
    private CountDownLatch publishersDone;
    private volatile long deadline;
    private volatile boolean failed;

    private Bench(BenchOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.payload = new byte[options.messageSize()];
        this.queue = options.queueGroup() != null;
    }

    /** {@code args} are those after {@code bench}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (CommandLine.UsageException e) {
            if (e.helpRequested()) {
                out.println(BenchOptions.USAGE);
                return Tools.OK;
            }
            err.println("error: " + e.getMessage());
            err.println(BenchOptions.USAGE);
            return Tools.USAGE;
        }
        return new Bench(options, out, err).run();
    }

    private int run() {
        boolean timedOut = false;
        try {
            err.printf("Starting benchmark [msgs=%d, msgsize=%d, pubs=%d, subs=%d, async=%b, channel=%s]%n",
                    options.messages(), options.messageSize(), options.publishers(), options.subscribers(),
                    options.async(), options.channel());
            if (setUp()) {
                timedOut = publishAndReceive();
            } else {
                failed = true; // still reported below, so that scripts always find a RESULT line
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted");
            aborted.set(true);
            failed = true;
        } finally {
            closeAll();
        }
        return report(timedOut);
    }

    /** Starts the publishers and waits for them and the subscribers; true if that timed out. */
    private boolean publishAndReceive() throws InterruptedException {
        deadline = System.nanoTime() + options.timeout().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (PubClient publisher : publishers) {
            Thread thread = new Thread(publisher, publisher.clientId);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        startGate.countDown();
        boolean done = awaitUntilDeadline(publishersDone) && awaitUntilDeadline(subscribersDone);
        boolean timedOut = false;
        if (!done) {
            timedOut = !aborted.get();
            if (timedOut) {
                err.println("Timed out after " + options.timeout().toSeconds() + "s: "
                        + (publishersDone.getCount() > 0 ? "publishers still waiting for acks"
                        : "subscribers did not receive every message"));
            }
            aborted.set(true);
            threads.forEach(Thread::interrupt);
        }
        // the publishers have finished unless they were just interrupted; give those a moment to notice
        long joinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_AFTER_TIMEOUT_MILLIS);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(joinUntil - System.nanoTime());
            if (left > 0) {
                thread.join(left);
            }
        }
        return timedOut;
    }

    private int report(boolean timedOut) {
        BenchReport.Results results = results(timedOut);
        out.print(BenchReport.report(results));
        out.println(BenchReport.resultLine(results));
        return results.ok() ? Tools.OK : Tools.FAILED;
    }

    /** Subscribers first (so that they miss nothing even with -io), then publishers. */
    private boolean setUp() throws InterruptedException {
        subscribersDone = new CountDownLatch(options.subscribers() == 0 ? 0 : queue ? 1 : options.subscribers());
        for (int i = 0; i < options.subscribers(); i++) {
            SubClient subscriber = new SubClient(options.clientIdPrefix() + "-sub-" + i);
            subscriber.connection = connect(subscriber.clientId);
            if (subscriber.connection == null) {
                return false;
            }
            try {
                subscriber.subscription = subscriber.connection.subscribe(options.channel(), options.queueGroup(),
                        subscriber::onMessage, subscriptionOptions());
            } catch (IOException | TimeoutException | RuntimeException e) {
                err.println("Subscriber " + subscriber.clientId + " can't subscribe to [" + options.channel() + "]: "
                        + e.getMessage());
                return false;
            }
            subscribers.add(subscriber);
        }
        long[] counts = BenchOptions.split(options.messages(), options.publishers());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue; // more publishers than messages: the idle ones would only skew the statistics
            }
            PubClient publisher = new PubClient(options.clientIdPrefix() + "-pub-" + i, (int) counts[i]);
            publisher.connection = connect(publisher.clientId);
            if (publisher.connection == null) {
                return false;
            }
            publishers.add(publisher);
        }
        publishersDone = new CountDownLatch(publishers.size());
        return true;
    }

    private SubscriptionOptions subscriptionOptions() {
        SubscriptionOptions.Builder builder = new SubscriptionOptions.Builder();
        if (!options.ignoreOld()) {
            builder.deliverAllAvailable();
        }
        if (options.durable() != null) {
            builder.durableName(options.durable());
        }
        return builder.build();
    }

    private StreamingConnection connect(String clientId) throws InterruptedException {
        Options connectOptions = new Options.Builder()
                .natsUrl(options.server())
                .clusterId(options.cluster())
                .clientId(clientId)
                .connectWait(CONNECT_WAIT)
                .maxPubAcksInFlight(options.maxPubAcksInFlight())
                .connectionLostHandler((connection, reason) -> {
                    err.println("Connection lost for " + clientId + ", reason: "
                            + (reason == null ? "unknown" : reason.getMessage()));
                    failed = true;
                    aborted.set(true);
                })
                .build();
        try {
            StreamingConnection connection = NatsStreaming.connect(options.cluster(), clientId, connectOptions);
            synchronized (connections) {
                connections.add(connection);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            err.println("Client " + clientId + " can't connect: " + e.getMessage() + "."
                    + System.lineSeparator()
                    + "Make sure a NATS Streaming Server is running at: " + options.server());
            return null;
        }
    }

    /** Waits for {@code latch} until the deadline, returning early (false) when the run is aborted. */
    private boolean awaitUntilDeadline(CountDownLatch latch) throws InterruptedException {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return latch.getCount() == 0;
            }
            if (latch.await(Math.min(remaining, POLL_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (aborted.get()) {
                return false;
            }
        }
    }

    /** Removes the subscriptions (durables too: a benchmark should leave nothing behind) and closes, in parallel. */
    private void closeAll() {
        List<Runnable> closes = new ArrayList<>();
        for (SubClient subscriber : subscribers) {
            if (subscriber.subscription != null) {
                closes.add(() -> {
                    try {
                        subscriber.subscription.unsubscribe();
                    } catch (IOException | RuntimeException e) {
                        err.println("Error unsubscribing " + subscriber.clientId + ": " + e);
                    }
                    closeQuietly(subscriber.connection);
                });
            }
        }
        synchronized (connections) {
            for (StreamingConnection connection : connections) {
                if (subscribers.stream().noneMatch(s -> s.connection == connection && s.subscription != null)) {
                    closes.add(() -> closeQuietly(connection));
                }
            }
        }
        if (closes.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, closes.size()), task -> {
            Thread thread = new Thread(task, "bench-close");
            thread.setDaemon(true);
            return thread;
        });
        closes.forEach(pool::execute);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                err.println("Gave up waiting for connections to close");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    private void closeQuietly(StreamingConnection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Includes a NullPointerException the client throws when closing with async acks still pending
            // (its close assumes every pending ack has a synchronous waiter); the NATS connection is closed anyway.
            if (!aborted.get()) {
                err.println("Error while closing a connection: " + e);
            }
        }
    }

    private BenchReport.Results results(boolean timedOut) {
        List<BenchReport.Sample> pubSamples = new ArrayList<>();
        List<LatencyRecorder> recorders = new ArrayList<>();
        long publishErrors = 0;
        long unacked = 0;
        for (PubClient publisher : publishers) {
            long ok = publisher.okAcks.get();
            long errors = publisher.errors.get();
            publishErrors += errors;
            unacked += Math.max(0, publisher.count - ok - errors);
            recorders.add(publisher.latencies);
            if (publisher.started) {
                pubSamples.add(new BenchReport.Sample(ok, options.messageSize(), publisher.startNanos,
                        publisher.lastAckNanos.get()));
            }
        }
        List<BenchReport.Sample> subSamples = new ArrayList<>();
        long subMissing = 0;
        long duplicates = 0;
        long wrongSize = 0;
        for (SubClient subscriber : subscribers) {
            long counted = subscriber.counted.get();
            duplicates += subscriber.duplicates.get();
            wrongSize += subscriber.wrongSize.get();
            if (!queue) {
                subMissing += Math.max(0, options.messages() - counted);
            }
            if (counted > 0) {
                subSamples.add(new BenchReport.Sample(counted, options.messageSize(), subscriber.firstNanos,
                        subscriber.lastNanos));
            }
        }
        if (queue && !subscribers.isEmpty()) {
            subMissing = Math.max(0, options.messages() - groupCounted.get());
        }
        if (duplicates > 0) {
            err.println("Subscribers got " + duplicates + " redelivered or duplicate message(s), counted once");
        }
        if (wrongSize > 0) {
            err.println("Subscribers got " + wrongSize + " message(s) whose size is not " + options.messageSize());
        }
        return new BenchReport.Results(options, pubSamples, subSamples, LatencyRecorder.summarize(recorders),
                publishErrors, unacked, subMissing, timedOut, failed || wrongSize > 0);
    }

    private void showError(String text) {
        int shown = errorsShown.incrementAndGet();
        if (shown <= MAX_ERRORS_SHOWN) {
            err.println(text);
        } else if (shown == MAX_ERRORS_SHOWN + 1) {
            err.println("(further errors are counted, not shown)");
        }
    }

    private static long later(long a, long b) {
        return b - a > 0 ? b : a;
    }

    /** One publishing client; runs on its own thread. */
    private final class PubClient implements Runnable {
        final String clientId;
        final int count;
        final LatencyRecorder latencies;
        /** One count per message: its ack (or error) arrived, its publish call failed, or it was never sent. */
        final CountDownLatch outcomes;
        final AtomicLong okAcks = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong lastAckNanos = new AtomicLong();
        StreamingConnection connection;
        volatile boolean started;
        volatile long startNanos;

        PubClient(String clientId, int count) {
            this.clientId = clientId;
            this.count = count;
            this.latencies = new LatencyRecorder(count);
            this.outcomes = new CountDownLatch(count);
        }

        @Override
        public void run() {
            try {
                if (!startGate.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
                startNanos = System.nanoTime();
                lastAckNanos.set(startNanos);
                started = true;
                int sent = 0;
                while (sent < count && !aborted.get() && deadline - System.nanoTime() > 0) {
                    if (!publish(sent)) {
                        sent++;
                        break;
                    }
                    sent++;
                }
                for (int unsent = sent; unsent < count; unsent++) {
                    outcomes.countDown(); // never sent: reported as not acked
                }
                long remaining = deadline - System.nanoTime();
                if (remaining > 0) {
                    outcomes.await(remaining, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                publishersDone.countDown();
            }
        }

        /** Publishes message {@code index}; false when publishing cannot go on (the connection is unusable). */
        private boolean publish(int index) throws InterruptedException {
            long before = System.nanoTime();
            try {
                if (options.async()) {
                    // one handler per message, carrying its index and send time: the ack may arrive before
                    // publish() has even returned the guid, so a guid-keyed map would race
                    connection.publish(options.channel(), payload, (guid, error) -> acked(index, before, error));
                } else {
                    connection.publish(options.channel(), payload);
                    long after = System.nanoTime();
                    latencies.record(index, after - before);
                    okAcks.incrementAndGet();
                    lastAckNanos.accumulateAndGet(after, Bench::later);
                    outcomes.countDown();
                }
                return true;
            } catch (IOException | TimeoutException e) {
                // the server's error in the ack, or no ack in time: count it and go on
                failed(e);
                return true;
            } catch (RuntimeException e) {
                // e.g. IllegalStateException: connection closed
                failed(e);
                return false;
            }
        }

        private void acked(int index, long before, Exception error) {
            long now = System.nanoTime();
            if (error == null) {
                latencies.record(index, now - before);
                okAcks.incrementAndGet();
            } else {
                errors.incrementAndGet();
                showError("Publisher " + clientId + " got an error ack: " + error);
            }
            lastAckNanos.accumulateAndGet(now, Bench::later);
            outcomes.countDown();
        }

        private void failed(Exception e) {
            errors.incrementAndGet();
            showError("Publisher " + clientId + " publish failed: " + e);
            outcomes.countDown();
        }
    }

    /** One subscribing client; {@link #onMessage} runs on the client's dispatcher thread. */
    private final class SubClient {
        final String clientId;
        final SequenceTracker sequences = new SequenceTracker();
        /** Distinct messages counted towards the target (up to {@code -n}). */
        final AtomicLong counted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong wrongSize = new AtomicLong();
        StreamingConnection connection;
        Subscription subscription;
        volatile long firstNanos;
        volatile long lastNanos;

        SubClient(String clientId) {
            this.clientId = clientId;
        }

        void onMessage(Message message) {
            long now = System.nanoTime();
            byte[] data = message.getData();
            if ((data == null ? 0 : data.length) != options.messageSize()) {
                wrongSize.incrementAndGet();
            }
            SequenceTracker tracker = queue ? groupSequences : sequences;
            if (!tracker.add(message.getSequence())) {
                duplicates.incrementAndGet();
                return;
            }
            if (queue) {
                long total = groupCounted.incrementAndGet();
                if (total <= options.messages()) {
                    count(now);
                    if (total == options.messages()) {
                        subscribersDone.countDown();
                    }
                }
            } else if (counted.get() < options.messages()) {
                count(now);
                if (counted.get() == options.messages()) {
                    subscribersDone.countDown();
                }
            }
        }

        private void count(long now) {
            if (counted.incrementAndGet() == 1) {
                firstNanos = now;
            }
            lastNanos = now;
        }
    }

    /**
     * The set of sequence numbers seen, as a bit set offset by the first one (a fresh channel's messages are
     * contiguous), with a tree set for the odd sequence below it or out of int range.
     */
    static final class SequenceTracker {
        private final BitSet bits = new BitSet();
        private final TreeSet<Long> outliers = new TreeSet<>();
        private long base = -1;

        /** True if {@code sequence} had not been seen. */
        synchronized boolean add(long sequence) {
            if (base < 0) {
                base = sequence;
            }
            long offset = sequence - base;
            if (offset < 0 || offset > Integer.MAX_VALUE - 1) {
                return outliers.add(sequence);
            }
            if (bits.get((int) offset)) {
                return false;
            }
            bits.set((int) offset);
            return true;
        }
    }
}
