package io.stanee.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server (Debian's package) of the test's own, on a loopback port, started and stopped by the test:
 * for what the shared one must not suffer, such as a restart in the middle of traffic.
 */
public final class NatsServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final List<String> options;
    private Process process;

    public NatsServer(int port) {
        this(port, List.of());
    }

    /** With further nats-server options (a cluster's routes, TLS, authorization). */
    public NatsServer(int port, List<String> options) {
        this.port = port;
        this.options = List.copyOf(options);
    }

    public int port() {
        return port;
    }

    /** The process, while it runs. */
    public ProcessHandle process() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("nats-server on port " + port + " is not running");
        }
        return process.toHandle();
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public NatsServer start() throws IOException, InterruptedException {
        if (listening()) {
            // another process (a leftover of an interrupted run?) would serve in its place, and survive kill()
            throw new IllegalStateException("port " + port + " is taken before this nats-server starts");
        }
        String binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
        List<String> command = new ArrayList<>(List.of(binary, "-a", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "nats-" + port + ".log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server on port " + port + " exited at start (see target/nats-"
                        + port + ".log)");
            }
            if (listening()) {
                return this;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nats-server did not listen on port " + port);
    }

    /** Stops the server (SIGKILL: connections drop as in a crash), and waits until the process is gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("nats-server on port " + port + " survived SIGKILL");
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
