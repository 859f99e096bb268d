package io.stanee.tools;

import io.nats.streaming.Message;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** {@code sub}: prints what a subscription receives, like Go's stan-sub, until Ctrl-C or {@code --count}. */
final class Subscriber {

    private final CommandLine line;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicLong received = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean connectionLost = new AtomicBoolean();
    private Tools.Session session;
    private Subscription subscription;
    private boolean closed;

    private Subscriber(CommandLine line, PrintStream out, PrintStream err) {
        this.line = line;
        this.out = out;
        this.err = err;
    }

    static int run(CommandLine line, PrintStream out, PrintStream err) {
        return new Subscriber(line, out, err).run();
    }

    private int run() {
        Thread onInterrupt = new Thread(() -> {
            err.println();
            err.println("Received an interrupt, unsubscribing and closing connection...");
            cleanUp();
        }, "stan-sub-shutdown");
        try {
            session = Tools.connect(line, (c, reason) -> {
                err.println("Connection lost, reason: " + (reason == null ? "unknown" : Tools.reason(reason)));
                connectionLost.set(true);
                done.countDown();
            }, err);
            if (session == null) {
                return Tools.FAILED;
            }
            err.println("Connected to " + line.server() + " clusterID: [" + line.cluster()
                    + "] clientID: [" + line.clientId() + "]");
            try {
                subscription = session.stan().subscribe(line.channel(), line.queueGroup(), this::onMessage,
                        subscriptionOptions());
            } catch (IOException | TimeoutException | IllegalStateException e) {
                err.println("Error subscribing to [" + line.channel() + "]: " + Tools.reason(e));
                session.close(err);
                return Tools.FAILED;
            }
            err.println("Listening on [" + line.channel() + "], clientID=[" + line.clientId() + "], qgroup=["
                    + nullToEmpty(line.queueGroup()) + "] durable=[" + nullToEmpty(line.durable()) + "]");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean cleanlyClosed = cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook will find everything closed
        }
        return connectionLost.get() || !cleanlyClosed ? Tools.FAILED : Tools.OK;
    }

    private SubscriptionOptions subscriptionOptions() {
        // Manual acks so that a message arriving after --count was reached is left unacked: the server redelivers
        // it to the durable (or another queue member) instead of it being lost unprinted.
        SubscriptionOptions.Builder options = new SubscriptionOptions.Builder().manualAcks();
        switch (line.start()) {
            case ALL -> options.deliverAllAvailable();
            case LAST -> options.startWithLastReceived();
            case SEQUENCE -> options.startAtSequence(line.startSequence());
            case TIME_DELTA -> options.startAtTimeDelta(line.since());
            case NEW_ONLY -> {
                // the client's default start position
            }
            default -> throw new IllegalStateException(line.start().name());
        }
        if (line.durable() != null) {
            options.durableName(line.durable());
        }
        return options.build();
    }

    private void onMessage(Message message) {
        long n = received.incrementAndGet();
        if (line.count() > 0 && n > line.count()) {
            return;
        }
        out.println("[#" + n + "] Received: " + describe(message.getSequence(), message.getSubject(),
                message.getReplyTo(), message.getData(), message.getTimestamp(), message.isRedelivered()));
        try {
            message.ack();
        } catch (IOException | IllegalStateException e) {
            err.println("Error acking sequence " + message.getSequence() + ": " + Tools.reason(e));
        }
        if (n == line.count()) {
            done.countDown();
        }
    }

    /**
     * Unsubscribes (a durable only with --unsubscribe, as stan-sub: keeping it is the point of a durable) and
     * closes. Synchronized and idempotent because Ctrl-C can race the end of --count.
     */
    private synchronized boolean cleanUp() {
        if (closed || session == null) {
            return true;
        }
        closed = true;
        boolean ok = true;
        if (subscription != null && !connectionLost.get() && (line.durable() == null || line.unsubscribe())) {
            try {
                subscription.unsubscribe();
            } catch (IOException | IllegalStateException e) {
                err.println("Error while unsubscribing: " + Tools.reason(e));
                ok = false;
            }
        }
        return session.close(err) && ok;
    }

    /** The message as Go's stan-sub prints it (protobuf text format of MsgProto, zero fields left out). */
    static String describe(long sequence, String subject, String reply, byte[] data, long timestamp,
                           boolean redelivered) {
        StringBuilder text = new StringBuilder();
        text.append("sequence:").append(sequence).append(' ');
        text.append("subject:").append(quote(subject.getBytes(StandardCharsets.UTF_8))).append(' ');
        if (reply != null && !reply.isEmpty()) {
            text.append("reply:").append(quote(reply.getBytes(StandardCharsets.UTF_8))).append(' ');
        }
        if (data != null && data.length > 0) {
            text.append("data:").append(quote(data)).append(' ');
        }
        text.append("timestamp:").append(timestamp).append(' ');
        if (redelivered) {
            text.append("redelivered:true ");
        }
        return text.toString();
    }

    // Go's protobuf text escaping: printable ASCII as is, the rest as octal, so the output is unambiguous.
    private static String quote(byte[] bytes) {
        StringBuilder text = new StringBuilder("\"");
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        text.append((char) c);
                    } else {
                        text.append(String.format("\\%03o", c));
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
