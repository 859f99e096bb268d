package io.stanee.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go nats-streaming-server (0.25.x), built outside this repo and named by the environment variable
 * {@code STAN_GO_SERVER}, run by a scenario on its own NATS and SQL database: the reference the mixed scenarios
 * compare with. Its log goes to {@code target/go-streaming-<name>.log}.
 */
public final class GoStreamingServer implements AutoCloseable {

    private final String name;
    private final List<String> arguments;
    private final Path log;
    private Process process;

    public GoStreamingServer(String name, List<String> arguments) {
        this.name = name;
        this.arguments = List.copyOf(arguments);
        this.log = Path.of("target", "go-streaming-" + name + ".log").toAbsolutePath();
    }

    /** The binary: STAN_GO_SERVER, which the scenario's script requires. */
    public static String binary() {
        String binary = System.getenv("STAN_GO_SERVER");
        if (binary == null || !Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException("set STAN_GO_SERVER to a nats-streaming-server binary (got " + binary + ")");
        }
        return binary;
    }

    public GoStreamingServer start() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary()));
        command.addAll(arguments);
        Files.deleteIfExists(log);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** Waits until the log contains {@code expected}; fails with the log after the timeout or if the process ends. */
    public void awaitLog(String expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(expected)) {
                return;
            }
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("the Go server " + name + " ended before logging " + expected
                        + ":\n" + log());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Go server " + name + " never logged " + expected + ":\n" + log());
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL, proven: fails unless the process was running and is gone afterwards. */
    public void kill() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the Go server " + name + " is not running: nothing to kill");
        }
        process.destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Go server " + name + " survived SIGKILL");
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
