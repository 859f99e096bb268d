package io.stanee.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The external commands the tests run to set up their own servers (initdb, pg_ctl, mariadb-install-db,
 * pg_autoctl, openssl, ...): bounded, with their output kept for the error, and a failure thrown.
 */
public final class Commands {

    private Commands() {
    }

    /**
     * Runs {@code command} with no input and waits at most {@code timeout}; returns its output (stdout and stderr),
     * or throws with it when the command fails or does not finish.
     */
    public static String run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("command", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                        + timeout.toSeconds() + " s: " + Files.readString(output));
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                        + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Whether something accepts connections on the loopback port. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
