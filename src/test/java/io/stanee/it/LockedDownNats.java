package io.stanee.it;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.ra.NatsConnectionSpec;
import io.stanee.ra.NatsSecrets;
import io.stanee.ra.NatsTlsFiles;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsOperator;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import io.stanee.testing.TlsFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee against a locked-down nats-server, configured only through server.xml variables (bootstrap.properties),
 * one Liberty start per kind (NatsSecurityIT: user/password and credentials over mutual TLS in the suite;
 * NatsSecurityScenario: token and NKey seed file, run by .ci/nats-security; every kind also connects outside
 * Liberty in NatsConnectionSpecIT). Each start first meets a nats-server
 * that does not accept stan-ee's secret: stan-ee is not ready and its log says why, naming the options; then the
 * nats-server is replaced by one that does, stan-ee connects by itself and the official Java STAN client, with its
 * own credentials, publishes and receives through it. messages.log, /health, /metrics and /streaming/serverz never
 * contain a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LockedDownNats {

    private static final int NATS_PORT = 4377;
    private static final Duration WAIT = Duration.ofSeconds(90);

    final Path dir = Path.of("target", "nats-security-it").toAbsolutePath();
    LibertyServer liberty;
    NatsServer nats;
    TlsFiles tls;

    @BeforeAll
    void prepare() throws Exception {
        Files.createDirectories(dir);
        tls = TlsFiles.create(dir.resolve("pki"), "stan-ee security test", "unused-store-pw");
        liberty = LibertyServer.another("stanee-h6", 9106);
    }

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        if (nats != null) {
            nats.close();
        }
    }

    /**
     * One Liberty start: the refusing nats-server first, then the accepting one; the STAN client round trip;
     * the secret scan.
     */
    void serveAndCheck(String kind, Map<String, String> stanVariables, String refusingConfig,
                               String acceptingConfig, String expectedRefusal, Options.Builder clientOptions,
                               List<String> secrets) throws Exception {
        startNats(kind + "-refusing", refusingConfig);
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.DERBY.libertyVariables(liberty));
        variables.put("stan.nats_server", "nats://127.0.0.1:" + NATS_PORT);
        variables.putAll(stanVariables);
        liberty.deleteDerbyDatabase();
        liberty.configure(variables).startWithoutWaiting();
        try {
            awaitLog(kind, expectedRefusal);
            assertTrue(liberty.messagesLog().contains("Authorization Violation"), kind + ": with what NATS said");
            String health = liberty.get("/health/ready");
            assertTrue(health.startsWith("503 ") && health.contains("\"connected\":false"),
                    kind + ": not ready while NATS refuses it: " + health);
            assertEquals(1, count(liberty.messagesLog(), expectedRefusal), kind + ": said once, not per retry");
            assertTrue(liberty.messagesLog().contains(expectedRefusal), kind + ": with what NATS said");

            nats.close();
            startNats(kind + "-accepting", acceptingConfig);
            awaitReady(kind);
            try (Connection natsConnection = Nats.connect(clientOptions.server("nats://127.0.0.1:" + NATS_PORT)
                    .connectionTimeout(Duration.ofSeconds(5)).build());
                 StreamingConnection client = StanClients.connect("client-" + kind,
                         options -> options.natsConn(natsConnection))) {
                for (int i = 1; i <= 3; i++) {
                    client.publish("secured-" + kind, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                List<Message> received = StanClients.receiveAll(client, "secured-" + kind, 3, Duration.ofSeconds(20));
                assertEquals(List.of("m1", "m2", "m3"), received.stream()
                        .map(m -> new String(m.getData(), StandardCharsets.UTF_8)).toList(), kind + ": round trip");
            }
            String serverz = liberty.get("/streaming/serverz");
            assertTrue(serverz.startsWith("200 "), "without stan.security the monitor answers on loopback: " + serverz);
            String everything = liberty.messagesLog() + liberty.get("/health") + liberty.get("/metrics") + serverz;
            for (String secret : secrets) {
                assertTrue(secret.length() >= 8, "a meaningful secret to look for");
                assertFalse(everything.contains(secret), kind + ": a secret (" + secret.substring(0, 3)
                        + "...) appears in messages.log or an endpoint");
            }
        } finally {
            liberty.stop();
            nats.close();
            nats = null;
        }
    }

    /** Bounded wait for a log line (a loaded machine starts Liberty slowly: generous, and ends as soon as seen). */
    private void awaitLog(String kind, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            if (liberty.messagesLog().contains(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(kind + ": the log never said: " + expected + "\n" + liberty.messagesLog());
    }

    private void startNats(String name, String config) throws Exception {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, config);
        nats = new NatsServer(NATS_PORT, List.of("-c", file.toString())).start();
    }

    private void awaitReady(String kind) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = liberty.get("/health/ready");
            if (last.startsWith("200 ")) {
                assertTrue(liberty.messagesLog().contains("connected to NATS at nats://127.0.0.1:" + NATS_PORT),
                        kind + ": the log says where it connected");
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(kind + ": not ready once NATS accepts it; last: " + last + "\n"
                + liberty.messagesLog());
    }

    /** The JWT and seed lines of credentials files, and the first line of the private key's base64. */
    static List<String> secrets(Path creds, Path clientCreds, Path privateKey) throws Exception {
        List<String> secrets = new java.util.ArrayList<>();
        for (Path file : List.of(creds, clientCreds)) {
            Files.readAllLines(file).stream().filter(l -> l.startsWith("ey") || l.startsWith("SU"))
                    .forEach(secrets::add);
        }
        Files.readAllLines(privateKey).stream().filter(l -> !l.startsWith("-----")).findFirst()
                .ifPresent(secrets::add);
        assertEquals(5, secrets.size(), "two JWTs, two seeds, a key");
        return secrets;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static String random() {
        byte[] bytes = new byte[9];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** securityUtility encode --encoding=aes with the operator's key, the stronger of Liberty's encodings. */
    static String aesEncoded(String secret, String key) throws Exception {
        Path wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp"));
        Process process = new ProcessBuilder(wlp.resolve("bin/securityUtility").toString(), "encode",
                "--encoding=aes", "--key=" + key, secret).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "securityUtility: " + output);
        assertTrue(output.startsWith("{aes}"), "securityUtility wrote " + output);
        return output;
    }
}
