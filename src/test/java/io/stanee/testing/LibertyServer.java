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

    private static final String BUILT = "stanee";
    private static final String TEST_MARKER = "# set by the tests";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    private final Path wlp;
    private final Path serverDir;
    private final String name;
    private final int httpPort;

    /** The server the build prepared, on HTTP port 9080. */
    public LibertyServer() {
        this(BUILT, 9080);
    }

    private LibertyServer(String name, int httpPort) {
        this.wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp")).toAbsolutePath();
        this.serverDir = wlp.resolve("usr/servers/" + name);
        this.name = name;
        this.httpPort = httpPort;
        if (!Files.isDirectory(serverDir)) {
            throw new IllegalStateException("no Liberty server at " + serverDir + ": run the build (mvn verify)");
        }
    }

    /**
     * Another instance beside the build's server, as an operator adds one: a server directory of its own (logs,
     * work area, transaction log, pid) with the same server.xml, datasources and application, on its own HTTP
     * port, and the same JVM options (jvm.options). Made anew from the build's server each time.
     */
    public static LibertyServer another(String name, int httpPort) throws IOException {
        LibertyServer built = new LibertyServer();
        Path target = built.wlp.resolve("usr/servers/" + name);
        deleteTree(target);
        Files.createDirectories(target.resolve("apps"));
        for (String file : List.of("server.xml", "server.env", "jvm.options", "apps/stanee.war")) {
            if (Files.exists(built.serverDir.resolve(file))) {
                Files.copy(built.serverDir.resolve(file), target.resolve(file));
            }
        }
        Files.createDirectories(target.resolve("datasources"));
        try (Stream<Path> datasources = Files.list(built.serverDir.resolve("datasources"))) {
            for (Path datasource : datasources.toList()) {
                Files.copy(datasource, target.resolve("datasources").resolve(datasource.getFileName()));
            }
        }
        Path security = built.serverDir.resolve("security");
        if (Files.isDirectory(security)) {
            Files.createDirectories(target.resolve("security"));
            try (Stream<Path> files = Files.list(security)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve("security").resolve(file.getFileName()));
                }
            }
        }
        String bootstrap = Files.readString(built.serverDir.resolve("bootstrap.properties"));
        int tests = bootstrap.indexOf(TEST_MARKER);
        Files.writeString(target.resolve("bootstrap.properties"), tests < 0 ? bootstrap : bootstrap.substring(0, tests));
        return new LibertyServer(name, httpPort);
    }

    public int httpPort() {
        return httpPort;
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
        properties.append("http.port=").append(httpPort).append('\n');
        variables.forEach((variable, value) -> properties.append(variable).append('=').append(value).append('\n'));
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
        startWithoutWaiting();
        awaitReady();
    }

    /** Starts the server's JVM and returns once Liberty runs, whatever stan-ee then does (a standby is not ready). */
    public void startWithoutWaiting() throws IOException, InterruptedException {
        Files.deleteIfExists(serverDir.resolve("logs/messages.log"));
        run("start", false);
    }

    /** The process ID of the running server's JVM, from Liberty's pid file; fails if it is not running. */
    public long pid() throws IOException {
        Path pidFile = wlp.resolve("usr/servers/.pid/" + name + ".pid");
        if (!Files.exists(pidFile)) {
            throw new IllegalStateException(name + " has no pid file: it is not running");
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return pid;
        }
        throw new IllegalStateException(name + ": its pid file names " + pid + ", which is not running");
    }

    /**
     * Waits until the readiness endpoint's answer ("status body") contains {@code expected}, e.g. a standby's
     * {@code "role":"standby"}; returns that answer, or fails with the last one after {@code timeout}.
     */
    public String awaitHealth(String expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get("/health/ready");
                if (last.contains(expected)) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + ": the readiness answer never contained " + expected + "; last: "
                + last + "\n--- messages.log ---\n" + messagesLog());
    }

    /**
     * Starts the server when stan-ee is expected not to come up, and waits until the log says why
     * (returns the log, or fails after the start timeout).
     */
    public String startExpectingLog(String expected) throws IOException, InterruptedException {
        Files.deleteIfExists(serverDir.resolve("logs/messages.log"));
        run("start", false);
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

    /** Stops the server if it runs (stopping a stopped server is fine: tests stop before they configure). */
    public void stop() throws IOException, InterruptedException {
        run("stop", true);
    }

    /**
     * Kills the server's JVM without a shutdown (what a crash or kill -9 does), and proves it: fails unless a
     * running process was found and is gone afterwards.
     */
    public void kill() throws IOException, InterruptedException {
        Path pidFile = wlp.resolve("usr/servers/.pid/" + name + ".pid");
        long pid = pid();
        ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException(name + ": no process " + pid + " to kill"));
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        if (process.isAlive()) {
            throw new IllegalStateException(name + ": process " + pid + " survived SIGKILL");
        }
        Files.deleteIfExists(pidFile);
    }

    public String messagesLog() throws IOException {
        Path log = serverDir.resolve("logs/messages.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * GET over HTTP/1.1, bounded as a whole: the JDK client's own timeout ends at the response headers, and one
     * answer (a 204 on a connection it had just asked to upgrade to HTTP/2) once left it waiting for ever.
     */
    public String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(15, TimeUnit.SECONDS);
            return response.statusCode() + " " + response.body();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(name + ": no complete answer to GET " + path + " within 15 s", e);
        }
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

    /**
     * Runs {@code server <action>}. Its exit code 1 means "already stopped" or "already running": fine for a
     * stop, but a start that finds a server running would let a test believe it restarted one, so it fails.
     */
    private void run(String action, boolean alreadyDoneIsFine) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(wlp.resolve("bin/server").toString(), action, name));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server " + action + " did not finish: " + output);
        }
        if (process.exitValue() != 0 && !(process.exitValue() == 1 && alreadyDoneIsFine)) {
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
