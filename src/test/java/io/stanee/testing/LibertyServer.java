package io.stanee.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Open Liberty server "stanee" that the build prepared (target/liberty/wlp), started and stopped by
 * the tests with Liberty's own server script. The database and other variables are chosen by writing a
 * configDropins/overrides file before the start, as an operator would.
 */
public final class LibertyServer {

    private static final String NAME = "stanee";
    private static final String TEST_MARKER = "# set by the tests";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    private final Path wlp;
    private final Path serverDir;
    private final int httpPort;

    public LibertyServer() {
        this.wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp")).toAbsolutePath();
        this.serverDir = wlp.resolve("usr/servers/" + NAME);
        this.httpPort = 9080;
        if (!Files.isDirectory(serverDir)) {
            throw new IllegalStateException("no Liberty server at " + serverDir + ": run the build (mvn verify)");
        }
    }

    /**
     * Sets the variables in bootstrap.properties (beside what the build put there), where Liberty reads them
     * before it resolves server.xml's includes, as an operator choosing the database would.
     */
    public LibertyServer configure(Map<String, String> variables) throws IOException {
        Path bootstrap = serverDir.resolve("bootstrap.properties");
        String fromBuild = Files.readString(bootstrap);
        int earlier = fromBuild.indexOf(TEST_MARKER);
        StringBuilder properties = new StringBuilder(earlier < 0 ? fromBuild : fromBuild.substring(0, earlier))
                .append(TEST_MARKER).append('\n');
        variables.forEach((name, value) -> properties.append(name).append('=').append(value).append('\n'));
        Files.writeString(bootstrap, properties);
        return this;
    }

    /** Where the tests keep their embedded Derby database (apart from the one `mvn liberty:run` uses). */
    public Path derbyDirectory() {
        return serverDir.resolve("databases/stanee-it");
    }

    /** Removes the tests' embedded Derby database, so the next start begins with an empty store. */
    public void deleteDerbyDatabase() throws IOException {
        deleteTree(derbyDirectory());
    }

    /** Starts the server and waits until stan-ee reports ready (NATS connected, datasource up). */
    public void start() throws IOException, InterruptedException {
        Files.deleteIfExists(serverDir.resolve("logs/messages.log"));
        run("start");
        awaitReady();
    }

    /**
     * Starts the server when stan-ee is expected not to come up, and waits until the log says why
     * (returns the log, or fails after the start timeout).
     */
    public String startExpectingLog(String expected) throws IOException, InterruptedException {
        Files.deleteIfExists(serverDir.resolve("logs/messages.log"));
        run("start");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = messagesLog();
            if (log.contains(expected)) {
                return log;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the log never said: " + expected + "\n--- messages.log ---\n"
                + messagesLog());
    }

    public void stop() throws IOException, InterruptedException {
        run("stop");
    }

    /** Kills the server's JVM without a shutdown (what a crash or kill -9 does). */
    public void kill() throws IOException, InterruptedException {
        Path pidFile = wlp.resolve("usr/servers/.pid/" + NAME + ".pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            Files.deleteIfExists(pidFile);
        }
    }

    public String messagesLog() throws IOException {
        Path log = serverDir.resolve("logs/messages.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get("/health/ready");
                if (last.startsWith("200 ")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("stan-ee was not ready after " + START_TIMEOUT.toSeconds() + " s; last "
                + "health answer: " + last + "\n--- messages.log ---\n" + messagesLog());
    }

    private void run(String action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(wlp.resolve("bin/server").toString(), action, NAME));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server " + action + " did not finish: " + output);
        }
        // 1 = already stopped / already started: fine for the tests' purposes
        if (process.exitValue() != 0 && process.exitValue() != 1) {
            throw new IllegalStateException("server " + action + " failed (" + process.exitValue() + "): " + output);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
