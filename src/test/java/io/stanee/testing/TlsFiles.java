package io.stanee.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and the certificates a TLS test needs, made at test time with openssl (EC P-256, valid
 * two days): the NATS server's (for 127.0.0.1 and localhost) and a client's for mutual TLS, PEM with PKCS#8 keys,
 * and the same client certificate and CA also as PKCS12 stores.
 */
public record TlsFiles(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                       Path clientKeystore, Path caTruststore, String storePassword) {

    public static TlsFiles create(Path dir, String name, String storePassword) throws IOException,
            InterruptedException {
        if (Files.exists(dir)) { // anew each time: keytool refuses to add to an earlier run's store
            try (var old = Files.walk(dir)) {
                for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=" + name + " CA");
        Path serverCert = dir.resolve("server.pem");
        Path serverKey = dir.resolve("server.key");
        sign(dir, "server", "/CN=127.0.0.1",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", ca, caKey);
        Path clientCert = dir.resolve("client.pem");
        Path clientKey = dir.resolve("client.key");
        sign(dir, "client", "/CN=stan-ee", "extendedKeyUsage=clientAuth\n", ca, caKey);
        Path keystore = dir.resolve("client.p12");
        openssl(dir, "pkcs12", "-export", "-in", clientCert.toString(), "-inkey", clientKey.toString(),
                "-out", keystore.toString(), "-passout", "pass:" + storePassword, "-name", "client");
        Path truststore = dir.resolve("ca.p12");
        run(dir, List.of("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", ca.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", storePassword));
        return new TlsFiles(ca, serverCert, serverKey, clientCert, clientKey, keystore, truststore, storePassword);
    }

    /** nats-server's tls block: its certificate, and with {@code verify} a client certificate signed by the CA. */
    public String natsServerBlock(boolean verify) {
        return "tls {\n  cert_file: \"" + serverCert + "\"\n  key_file: \"" + serverKey + "\"\n  ca_file: \""
                + caCert + "\"\n  verify: " + verify + "\n  timeout: 3\n}\n";
    }

    private static void sign(Path dir, String who, String subject, String extensions, Path ca, Path caKey)
            throws IOException, InterruptedException {
        Path ext = dir.resolve(who + ".ext");
        Files.writeString(ext, extensions);
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve(who + ".key").toString(), "-out", dir.resolve(who + ".csr").toString(),
                "-subj", subject);
        openssl(dir, "x509", "-req", "-in", dir.resolve(who + ".csr").toString(), "-CA", ca.toString(),
                "-CAkey", caKey.toString(), "-CAcreateserial", "-out", dir.resolve(who + ".pem").toString(),
                "-days", "2", "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(dir, command);
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " " + command.get(1) + " failed: " + output);
        }
    }
}
