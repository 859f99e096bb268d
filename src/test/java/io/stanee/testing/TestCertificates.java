package io.stanee.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test run and a server certificate it signed for this machine's loopback
 * (subject alternative names IP 127.0.0.1 and DNS localhost, so a client that checks the host name accepts it),
 * generated with openssl at test time: P-256 keys, unencrypted PEM files, valid for two days.
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    /** Generates the CA and the server certificate into {@code directory} (created if missing). */
    public static TestCertificates generate(Path directory, String caName) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path caKey = directory.resolve("ca.key");
        Path caCertificate = directory.resolve("ca.crt");
        Path serverKey = directory.resolve("server.key");
        Path request = directory.resolve("server.csr");
        Path serverCertificate = directory.resolve("server.crt");
        Path extensions = directory.resolve("server.ext");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", caCertificate.toString(), "-days", "2", "-subj", "/CN=" + caName);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", serverKey.toString(), "-out", request.toString(), "-subj", "/CN=127.0.0.1");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("x509", "-req", "-in", request.toString(), "-CA", caCertificate.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", serverCertificate.toString(), "-days", "2", "-extfile", extensions.toString());
        return new TestCertificates(caCertificate, serverCertificate, serverKey);
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(OPENSSL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + output);
        }
    }
}
