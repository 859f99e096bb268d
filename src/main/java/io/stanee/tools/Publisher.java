package io.stanee.tools;

import io.nats.streaming.StreamingConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** {@code pub}: publishes one message and waits for the server's ack, like Go's stan-pub. */
final class Publisher {

    // The client itself fails an unacked publish after its ack wait (30 s by default); this only guards against
    // a callback that never comes.
    private static final long ACK_GIVE_UP_SECONDS = 65;

    private Publisher() {
    }

    static int run(CommandLine line, PrintStream out, PrintStream err) {
        try {
            Tools.Session session = Tools.connect(line, null, err);
            if (session == null) {
                return Tools.FAILED;
            }
            try {
                return line.async()
                        ? publishAsync(session.stan(), line, out, err)
                        : publish(session.stan(), line, out, err);
            } finally {
                session.close(err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted");
            return Tools.FAILED;
        }
    }

    private static int publish(StreamingConnection connection, CommandLine line, PrintStream out, PrintStream err)
            throws InterruptedException {
        try {
            // blocks until the ack; a server-side rejection arrives as an IOException carrying the server's text
            connection.publish(line.channel(), data(line));
        } catch (IOException | TimeoutException | IllegalStateException e) {
            err.println("Error during publish: " + Tools.reason(e));
            return Tools.FAILED;
        }
        out.println("Published [" + line.channel() + "] : '" + line.message() + "'");
        return Tools.OK;
    }

    private static int publishAsync(StreamingConnection connection, CommandLine line, PrintStream out,
                                    PrintStream err) throws InterruptedException {
        CountDownLatch acked = new CountDownLatch(1);
        AtomicReference<String> ackedGuid = new AtomicReference<>();
        AtomicReference<Exception> ackError = new AtomicReference<>();
        String guid;
        try {
            guid = connection.publish(line.channel(), data(line), (g, e) -> {
                ackedGuid.set(g);
                ackError.set(e);
                acked.countDown();
            });
        } catch (IOException | TimeoutException | IllegalStateException e) {
            err.println("Error during async publish: " + Tools.reason(e));
            return Tools.FAILED;
        }
        // printed before the ack, as stan-pub does: the guid is what ties this line to the ack (or error) below
        out.println("Published [" + line.channel() + "] : '" + line.message() + "' [guid: " + guid + "]");
        if (!acked.await(ACK_GIVE_UP_SECONDS, TimeUnit.SECONDS)) {
            err.println("Timed out waiting for the ack of guid " + guid);
            return Tools.FAILED;
        }
        err.println("Received ACK for guid " + ackedGuid.get());
        if (ackError.get() != null) {
            err.println("Error in server ack for guid " + ackedGuid.get() + ": " + Tools.reason(ackError.get()));
            return Tools.FAILED;
        }
        if (!guid.equals(ackedGuid.get())) {
            err.println("Expected a matching guid in ack callback, got " + ackedGuid.get() + " vs " + guid);
            return Tools.FAILED;
        }
        return Tools.OK;
    }

    private static byte[] data(CommandLine line) {
        return line.message().getBytes(StandardCharsets.UTF_8);
    }
}
