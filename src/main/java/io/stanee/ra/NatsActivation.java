package io.stanee.ra;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One activated endpoint: its NATS connection, its subscriptions and the worker that feeds it.
 *
 * <p>All subscriptions share one dispatcher, so messages are queued in the order NATS delivered them; one worker
 * drains the queue into batches (whatever is queued, up to the bound: no waiting when idle) and calls the
 * endpoint once per batch. Because one thread does all the calls, the application sees one totally ordered
 * stream and needs no locking of its own; because replies are sent after the call returns, they follow the
 * commit of the batch's store work.
 *
 * <p>The dispatcher never blocks: a thread that stopped reading NATS would in the end make the NATS server cut
 * this connection as a slow consumer, or jnats drop messages unanswered. What arrives while the queue holds
 * {@code queueCapacity} messages or {@code queueMaxBytes} bytes is answered at once with the application's
 * {@linkplain NatsMessageListener#overloadAnswers overload answer} (an error reply) instead of being queued.
 * jnats' own pending limits of the dispatcher are set explicitly ({@code pendingMessagesLimit},
 * {@code pendingBytesLimit}); since the handler returns at once they are a last resort, and jnats' report of
 * crossing them (a client-side slow consumer) is logged.
 */
final class NatsActivation implements Work {

    private static final Logger LOG = Logger.getLogger(NatsActivation.class.getName());

    record Settings(NatsConnectionSpec connection, int maxBatchSize, int queueCapacity,
                    long queueMaxBytes, long pendingMessagesLimit, long pendingBytesLimit,
                    Duration reconnectWait, Duration timerInterval) {
    }

    /** What a queued message is counted as beside its payload (record, strings, queue node). */
    static final int QUEUED_OVERHEAD_BYTES = 128;

    private final Settings settings;
    private final MessageEndpointFactory endpointFactory;
    /** Bounded by {@link #admit}, not by its own capacity: answers to outbound requests always get in. */
    private final BlockingQueue<InboundMessage> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong overloadRefusals = new AtomicLong();
    private volatile Function<InboundMessage, OutboundMessage> overloadAnswers = message -> null;
    /** What calls returned, waiting for the sender thread, in call order. */
    private final BlockingQueue<List<OutboundMessage>> outgoing = new ArrayBlockingQueue<>(64);
    /** Lists handed to the sender and not yet sent: while there is one, nothing may overtake it. */
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile boolean released;
    private volatile boolean connected;
    /** RECONNECTED events of jnats since the first connect. */
    private final AtomicLong reconnects = new AtomicLong();
    private volatile Thread worker;
    private Connection connection;
    private Dispatcher dispatcher;
    private MessageEndpoint endpoint;

    NatsActivation(Settings settings, MessageEndpointFactory endpointFactory) {
        this.settings = settings;
        this.endpointFactory = endpointFactory;
    }

    @Override
    public void run() {
        worker = Thread.currentThread();
        try {
            if (connect() && subscribe()) {
                Thread sender = new Thread(this::sendUntilReleased, "stan-ee NATS sender");
                sender.setDaemon(true);
                sender.start();
                try {
                    deliverUntilReleased();
                } finally {
                    released = true;
                    sender.join(5000); // the replies of committed work go out before the connection closes
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // the work manager would end this thread silently: without this line nobody would know NATS is not served
            LOG.log(Level.SEVERE, "the NATS worker stopped", e);
            throw e;
        } finally {
            closeConnection();
            releaseEndpoint();
        }
    }

    @Override
    public void release() {
        released = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private boolean connect() throws InterruptedException {
        long backoff = 250;
        String lastFailure = null;
        while (!released) {
            try {
                Options options = settings.connection().options()
                        .maxReconnects(-1)
                        .reconnectWait(settings.reconnectWait())
                        .connectionListener(this::connectionEvent)
                        .build();
                connection = Nats.connect(options);
                connected = true;
                LOG.info(() -> "connected to NATS at " + RedactedUrls.redact(connection.getConnectedUrl()));
                return true;
            } catch (IOException | NatsSettingsException | RuntimeException e) {
                // jnats also throws unchecked exceptions for a refused connect (e.g. IllegalStateException);
                // said once at WARNING while it stays the same: a wrong secret must not flood the log
                String failure = settings.connection().explain(e);
                if (!failure.equals(lastFailure)) {
                    LOG.warning(() -> failure + "; retrying");
                    lastFailure = failure;
                } else {
                    LOG.fine(() -> failure + "; retrying");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        return false;
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case RECONNECTED -> {
                reconnects.incrementAndGet();
                connected = true;
            }
            case CONNECTED, RESUBSCRIBED -> connected = true;
            case DISCONNECTED, CLOSED -> connected = false;
            default -> { }
        }
        LOG.info(() -> "NATS connection " + event);
    }

    /** Asks the endpoint for its subjects, retrying while the application is not ready. */
    private boolean subscribe() throws InterruptedException {
        dispatcher = connection.createDispatcher(this::enqueue);
        dispatcher.setPendingLimits(settings.pendingMessagesLimit(), settings.pendingBytesLimit());
        long backoff = 250;
        while (!released) {
            try {
                List<String> subjects = endpoint().subjects();
                overloadAnswers = endpoint().overloadAnswers();
                subjects.forEach(dispatcher::subscribe);
                connection.flush(Duration.ofSeconds(5));
                LOG.info(() -> "endpoint subscribed to " + subjects);
                return true;
            } catch (RuntimeException | java.util.concurrent.TimeoutException | UnavailableException e) {
                LOG.log(Level.WARNING, "endpoint not ready, retrying: " + e, e);
                releaseEndpoint();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        return false;
    }

    /** On the dispatcher thread: queues the message, or answers it at once when the queue is full. */
    private void enqueue(Message message) {
        InboundMessage inbound = new InboundMessage(message.getSubject(), message.getReplyTo(), message.getData());
        if (admit(inbound)) {
            return;
        }
        long refused = overloadRefusals.incrementAndGet();
        if (Long.bitCount(refused) == 1) { // the 1st, 2nd, 4th, 8th ...: a trace, not a flood of lines
            LOG.warning(() -> "the STAN endpoint is behind (" + queue.size() + " messages, " + queuedBytes.get()
                    + " bytes queued): " + refused + " request(s) refused with an overload answer so far");
        }
        try {
            OutboundMessage answer = overloadAnswers.apply(inbound);
            if (answer != null) {
                connection.publish(new CheckedMessage(answer.subject(), answer.replyTo(), answer.data()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not answer a refused message on " + inbound.subject(), e);
        }
    }

    /** Queues the message if the queue has room for it in count and bytes (only the dispatcher adds so). */
    private boolean admit(InboundMessage inbound) {
        long size = sizeOf(inbound);
        if (queue.size() >= settings.queueCapacity() || queuedBytes.get() + size > settings.queueMaxBytes()) {
            return false;
        }
        queuedBytes.addAndGet(size);
        queue.add(inbound);
        return true;
    }

    static long sizeOf(InboundMessage message) {
        return QUEUED_OVERHEAD_BYTES + (message.data() == null ? 0 : message.data().length)
                + 2L * message.subject().length() + (message.replyTo() == null ? 0 : 2L * message.replyTo().length());
    }

    private void deliverUntilReleased() throws InterruptedException {
        boolean reportedConnected = !connected;
        long reportedReconnects = -1;
        long interval = settings.timerInterval().toNanos();
        long nextTimer = System.nanoTime() + interval;
        List<InboundMessage> batch = new ArrayList<>(settings.maxBatchSize());
        while (!released) {
            if (reportedConnected != connected || reportedReconnects != reconnects.get()) {
                reportedConnected = connected;
                reportedReconnects = reconnects.get();
                final boolean state = reportedConnected;
                final long total = reportedReconnects;
                callEndpoint(listener -> listener.connectionChanged(state, total));
                if (state) {
                    long maxPayload = connection.getMaxPayload();
                    LOG.info(() -> "NATS max_payload: " + maxPayload + " bytes");
                    callEndpoint(listener -> listener.natsMaxPayload(maxPayload));
                }
            }
            long untilTimer = nextTimer - System.nanoTime();
            if (untilTimer <= 0) {
                // on time even under a steady load: the timer runs between batches
                nextTimer = System.nanoTime() + interval;
                callEndpoint(listener -> send(listener.onTimer()));
                continue;
            }
            InboundMessage first = queue.poll(untilTimer, TimeUnit.NANOSECONDS);
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, settings.maxBatchSize() - 1);
            queuedBytes.addAndGet(-batch.stream().mapToLong(NatsActivation::sizeOf).sum());
            List<InboundMessage> handed = List.copyOf(batch);
            batch.clear();
            callEndpoint(listener -> send(listener.onMessages(handed)));
        }
    }

    private void callEndpoint(java.util.function.Consumer<NatsMessageListener> call) {
        try {
            call.accept(endpoint());
        } catch (RuntimeException | UnavailableException e) {
            // the endpoint answers bad input itself; what reaches here is a failure of the application
            LOG.log(Level.SEVERE, "the STAN endpoint failed on a batch", e);
            releaseEndpoint();
        }
    }

    /**
     * Sends what a call returned: itself when nothing else waits (a lone request, e.g. a synchronous publish,
     * then pays no thread hand-over), else through the sender thread, which keeps the order and lets this
     * thread go on with the next batch while the replies of this one go out; blocks while the sender is far
     * behind.
     */
    private void send(List<OutboundMessage> outbound) {
        if (outbound.isEmpty()) {
            return;
        }
        if (unsent.get() == 0 && queue.isEmpty()) {
            // only this thread hands lists over: while none is unsent, the sender is idle and stays so
            sendNow(outbound);
            return;
        }
        try {
            unsent.incrementAndGet();
            outgoing.put(outbound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendNow(outbound); // released meanwhile: the replies of committed work still go out
        }
    }

    /**
     * The sender thread: publishes the replies and deliveries of each call, in call order, while the worker
     * already handles the next batch (the writing of one batch overlaps the commit of the next).
     */
    private void sendUntilReleased() {
        try {
            while (!released || !outgoing.isEmpty()) {
                List<OutboundMessage> next = outgoing.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    try {
                        sendNow(next);
                    } catch (RuntimeException e) {
                        // the thread must outlive any failure: while it is gone the worker blocks on a full queue
                        LOG.log(Level.SEVERE, "the NATS sender failed on a list of replies, going on", e);
                    } finally {
                        unsent.decrementAndGet();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendNow(List<OutboundMessage> outbound) {
        for (OutboundMessage out : outbound) {
            try {
                switch (out.kind()) {
                    case PUBLISH -> connection.publish(new CheckedMessage(out.subject(), out.replyTo(), out.data()));
                    case REQUEST -> request(out);
                    case SUBSCRIBE -> dispatcher.subscribe(out.subject());
                    case UNSUBSCRIBE -> dispatcher.unsubscribe(out.subject());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not send to " + out.subject(), e);
            }
        }
        if (outgoing.isEmpty()) {
            try {
                connection.flushBuffer();
            } catch (IOException | IllegalStateException e) {
                // jnats says "Connection is not active" while it reconnects; what was published waits in its
                // reconnect buffer and goes out with the reconnection (this once ended the sender thread)
                LOG.fine(() -> "flush while disconnected: " + e.getMessage());
            }
        }
    }

    private void request(OutboundMessage out) {
        connection.requestWithTimeout(out.subject(), out.data(), Duration.ofMillis(out.timeoutMillis()))
                .whenComplete((answer, failure) -> {
                    byte[] data = failure == null && answer != null && !answer.isStatusMessage()
                            ? answer.getData() : null;
                    // always queued, beyond the bound: there is at most one per request the application made
                    InboundMessage answered = new InboundMessage(out.replyTo(), null, data);
                    queuedBytes.addAndGet(sizeOf(answered));
                    queue.add(answered);
                });
    }

    private NatsMessageListener endpoint() throws UnavailableException {
        if (endpoint == null) {
            endpoint = endpointFactory.createEndpoint(null);
        }
        return (NatsMessageListener) endpoint;
    }

    private void releaseEndpoint() {
        if (endpoint != null) {
            try {
                endpoint.release();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "endpoint release failed", e);
            }
            endpoint = null;
        }
    }

    private void closeConnection() {
        connected = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
