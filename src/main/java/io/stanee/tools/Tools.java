package io.stanee.tools;

import io.nats.streaming.ConnectionLostHandler;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;

import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code java -jar stanee-tools.jar pub|sub ...}. Exit codes: 0 done, 1 the connection or the server failed,
 * 2 the arguments were wrong. Results go to stdout and progress and errors to stderr, so that a script can
 * capture exactly the published or received lines.
 */
public final class Tools {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Tools() {
    }

    public static void main(String[] args) {
        // exit explicitly: the NATS client may leave non-daemon threads behind after a failed connect
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            if (e.helpRequested()) {
                out.println(CommandLine.USAGE);
                return OK;
            }
            err.println("error: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return USAGE;
        }
        return line.tool() == CommandLine.Tool.PUB
                ? Publisher.run(line, out, err)
                : Subscriber.run(line, out, err);
    }

    /** Connects, or prints why not (in the Go examples' words) and returns {@code null}. */
    static StreamingConnection connect(CommandLine line, ConnectionLostHandler lostHandler, PrintStream err)
            throws InterruptedException {
        Options.Builder options = new Options.Builder()
                .natsUrl(line.server())
                .clusterId(line.cluster())
                .clientId(line.clientId());
        if (lostHandler != null) {
            options.connectionLostHandler(lostHandler);
        }
        try {
            return NatsStreaming.connect(line.cluster(), line.clientId(), options.build());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // IllegalArgumentException: jnats rejects a malformed URL that way
            err.println("Can't connect: " + e.getMessage() + "."
                    + System.lineSeparator()
                    + "Make sure a NATS Streaming Server is running at: " + line.server());
            return null;
        }
    }

    /** Closes, reporting instead of throwing: at exit there is nothing better to do with the failure. */
    static boolean close(StreamingConnection connection, PrintStream err) {
        try {
            connection.close();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            err.println("Error while closing the connection: " + e.getMessage());
            return false;
        }
    }
}
