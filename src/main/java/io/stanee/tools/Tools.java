package io.stanee.tools;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.streaming.ConnectionLostHandler;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar stanee-tools.jar pub|sub|bench|scale ...} ({@code bench}: see {@link Bench}, {@code scale}: {@link Scale}). Exit codes: 0 done,
 * 1 the connection or the server failed, 2 the arguments were wrong. Results go to stdout and progress and errors to stderr, so that a script can
 * capture exactly the published or received lines.
 */
public final class Tools {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Tools() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bench")) {
            return Bench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("scale")) {
            return Scale.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
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

    /**
     * Connects, or prints why not (in the Go examples' words) and returns {@code null}. With a lost-connection
     * handler the NATS connection is opened without "no responders": jnats 2.x answers a publish to a subject
     * nobody listens on with an empty status message, which STAN client 2.2.3 takes for a ping reply, so a
     * vanished server would never be noticed. Without a handler (pub) no responders stay on, because they make a
     * missing STAN server fail at once rather than after the 5 s connect wait.
     */
    static Session connect(CommandLine line, ConnectionLostHandler lostHandler, PrintStream err)
            throws InterruptedException {
        Connection nats = null;
        try {
            io.nats.client.Options.Builder natsOptions = new io.nats.client.Options.Builder()
                    .server(line.server())
                    .connectionName(line.clientId());
            if (lostHandler != null) {
                natsOptions.noNoResponders();
            }
            nats = Nats.connect(natsOptions.build());
            Options.Builder options = new Options.Builder()
                    .natsConn(nats)
                    .clusterId(line.cluster())
                    .clientId(line.clientId());
            if (lostHandler != null) {
                options.connectionLostHandler(lostHandler);
            }
            return new Session(NatsStreaming.connect(line.cluster(), line.clientId(), options.build()), nats);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // IllegalArgumentException: jnats rejects a malformed URL that way
            err.println("Can't connect: " + reason(e) + "."
                    + System.lineSeparator()
                    + "Make sure a NATS Streaming Server is running at: " + line.server());
            if (nats != null) {
                nats.close();
            }
            return null;
        }
    }

    /** Some client exceptions carry no message; the class name is better than "null". */
    static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** A STAN connection and the NATS connection under it, which the STAN client leaves to its opener to close. */
    record Session(StreamingConnection stan, Connection nats) {

        /** Reports instead of throwing: at exit there is nothing better to do with a failure. */
        boolean close(PrintStream err) {
            boolean ok = true;
            try {
                stan.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (Exception e) {
                err.println("Error while closing the connection: " + reason(e));
                ok = false;
            }
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            return ok;
        }
    }
}
