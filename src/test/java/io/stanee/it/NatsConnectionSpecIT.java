package io.stanee.it;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.stanee.ra.NatsConnectionSpec;
import io.stanee.ra.NatsSecrets;
import io.stanee.ra.NatsSettingsException;
import io.stanee.ra.NatsTlsFiles;
import io.stanee.testing.NatsOperator;
import io.stanee.testing.NatsServer;
import io.stanee.testing.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resource adapter's connection settings ({@link NatsConnectionSpec}, what server.xml's stan.user ... stan.tls_*
 * become) against a real nats-server configured for each way the Go server connects: each kind connects with the
 * right secret, and with a wrong one fails with a message naming the options and quoting no secret. No Liberty:
 * NatsSecurityIT shows the same through server.xml and stan-ee end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsConnectionSpecIT {

    private static final int PORT = 4381;
    private static final String PASSWORD = "pw-Zq81xT";
    private static final String TOKEN = "tok-Hh27pL";
    private static final String STORE_PASSWORD = "store-Kd93";

    private Path dir;
    private TlsFiles tls;
    private TlsFiles otherCa;
    private NatsServer nats;

    @BeforeAll
    void material() throws Exception {
        dir = Files.createDirectories(Path.of("target", "nats-connection-it").toAbsolutePath());
        tls = TlsFiles.create(dir.resolve("pki"), "stan-ee test", STORE_PASSWORD);
        otherCa = TlsFiles.create(dir.resolve("other-pki"), "someone else", STORE_PASSWORD);
    }

    @AfterEach
    void stopNats() throws Exception {
        if (nats != null) {
            nats.close();
        }
    }

    private String url() {
        return "nats://127.0.0.1:" + PORT;
    }

    private void startNats(String config) throws Exception {
        Path file = dir.resolve("nats.conf");
        Files.writeString(file, config);
        nats = new NatsServer(PORT, List.of("-c", file.toString())).start();
    }

    private static void connects(NatsConnectionSpec spec) throws Exception {
        Options options = spec.options().connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0).build();
        try (Connection connection = Nats.connect(options)) {
            assertEquals(Connection.Status.CONNECTED, connection.getStatus());
            connection.flush(Duration.ofSeconds(3)); // the server accepted us, not only the TCP connection
        }
    }

    /** Fails to connect; returns the explanation, checked to contain no secret. */
    private static String refused(NatsConnectionSpec spec, String... secrets) {
        Exception failure = assertThrows(Exception.class, () -> connects(spec), "the connection must be refused");
        String explained = spec.explain(failure);
        for (String secret : secrets) {
            assertFalse(explained.contains(secret), "the explanation quotes a secret: " + explained);
        }
        return explained;
    }

    private NatsConnectionSpec spec(NatsSecrets secrets, NatsTlsFiles tlsFiles) {
        return new NatsConnectionSpec(url(), "stan-ee test", secrets, tlsFiles);
    }

    private static NatsSecrets user(String user, String password) {
        return new NatsSecrets(user, password, null, null, null);
    }

    private NatsTlsFiles pem(boolean clientCertificate, TlsFiles ca) {
        return new NatsTlsFiles(false, clientCertificate ? tls.clientCert().toString() : null,
                clientCertificate ? tls.clientKey().toString() : null, ca.caCert().toString(), null, null, null, null);
    }

    @Test
    void userAndPassword() throws Exception {
        startNats("authorization { user: stan, password: \"" + PASSWORD + "\" }\n");
        connects(spec(user("stan", PASSWORD), NatsTlsFiles.NONE));
        String explained = refused(spec(user("stan", "wrong-" + PASSWORD), NatsTlsFiles.NONE), PASSWORD);
        assertTrue(explained.contains("refused stan-ee's credentials (stan.user, stan.password)"), explained);
        assertTrue(refused(spec(NatsSecrets.NONE, NatsTlsFiles.NONE)).contains("none set"), "says none were set");
        // the same in the URL, redacted in the message as the Go server does
        String inUrl = refused(new NatsConnectionSpec("nats://stan:wrong-" + PASSWORD + "@127.0.0.1:" + PORT,
                "stan-ee test", NatsSecrets.NONE, NatsTlsFiles.NONE), PASSWORD);
        assertTrue(inUrl.contains("nats://[REDACTED]@127.0.0.1:" + PORT), inUrl);
    }

    @Test
    void token() throws Exception {
        startNats("authorization { token: \"" + TOKEN + "\" }\n");
        connects(spec(new NatsSecrets(null, null, TOKEN, null, null), NatsTlsFiles.NONE));
        String explained = refused(spec(new NatsSecrets(null, null, "x" + TOKEN, null, null), NatsTlsFiles.NONE),
                TOKEN);
        assertTrue(explained.contains("(stan.token)"), explained);
    }

    @Test
    void nkeySeedFile() throws Exception {
        NKey allowed = NKey.createUser(new SecureRandom());
        NKey other = NKey.createUser(new SecureRandom());
        Path seed = Files.writeString(dir.resolve("user.nk"), new String(allowed.getSeed()) + "\n");
        Path otherSeed = Files.writeString(dir.resolve("other.nk"), new String(other.getSeed()) + "\n");
        startNats("authorization { users: [ { nkey: " + new String(allowed.getPublicKey()) + " } ] }\n");
        connects(spec(new NatsSecrets(null, null, null, seed.toString(), null), NatsTlsFiles.NONE));
        String explained = refused(spec(new NatsSecrets(null, null, null, otherSeed.toString(), null),
                NatsTlsFiles.NONE), new String(other.getSeed()));
        assertTrue(explained.contains("(stan.nkey_seed_file)"), explained);
        NatsSettingsException missing = assertThrows(NatsSettingsException.class,
                () -> spec(new NatsSecrets(null, null, null, dir.resolve("nope.nk").toString(), null),
                        NatsTlsFiles.NONE).options());
        assertTrue(missing.getMessage().startsWith("stan.nkey_seed_file: cannot read"), missing.getMessage());
    }

    @Test
    void credentialsFile() throws Exception {
        NatsOperator operator = new NatsOperator("stan-ee-test");
        NatsOperator stranger = new NatsOperator("stranger");
        Path creds = operator.writeUserCredentials(dir.resolve("stan.creds"), "stan-ee");
        Path foreign = stranger.writeUserCredentials(dir.resolve("foreign.creds"), "stan-ee");
        startNats(operator.serverConfig());
        connects(spec(new NatsSecrets(null, null, null, null, creds.toString()), NatsTlsFiles.NONE));
        String explained = refused(spec(new NatsSecrets(null, null, null, null, foreign.toString()),
                NatsTlsFiles.NONE));
        assertTrue(explained.contains("(stan.credentials)"), explained);
        Path garbage = Files.writeString(dir.resolve("garbage.creds"), "not a creds file");
        NatsSettingsException bad = assertThrows(NatsSettingsException.class,
                () -> spec(new NatsSecrets(null, null, null, null, garbage.toString()), NatsTlsFiles.NONE).options());
        assertTrue(bad.getMessage().contains("holds no user JWT and NKey seed"), bad.getMessage());
    }

    @Test
    void tlsWithTheTestsOwnCa() throws Exception {
        startNats(tls.natsServerBlock(false));
        connects(spec(NatsSecrets.NONE, pem(false, tls)));
        connects(spec(NatsSecrets.NONE, new NatsTlsFiles(false, null, null, null, null, null,
                tls.caTruststore().toString(), STORE_PASSWORD)));
        String explained = refused(spec(NatsSecrets.NONE, pem(false, otherCa)));
        assertTrue(explained.startsWith("TLS with NATS at " + url() + " failed (stan.tls_client_cacert)"), explained);
        String plain = refused(spec(NatsSecrets.NONE, NatsTlsFiles.NONE));
        assertTrue(plain.contains("requires TLS"), plain);
    }

    @Test
    void mutualTlsWithPemFilesOrAKeyStore() throws Exception {
        startNats(tls.natsServerBlock(true));
        connects(spec(NatsSecrets.NONE, pem(true, tls)));
        connects(spec(NatsSecrets.NONE, new NatsTlsFiles(false, null, null, null, tls.clientKeystore().toString(),
                STORE_PASSWORD, tls.caTruststore().toString(), STORE_PASSWORD)));
        refused(spec(NatsSecrets.NONE, pem(false, tls))); // no client certificate: the server hangs up
        NatsSettingsException wrongStorePassword = assertThrows(NatsSettingsException.class,
                () -> spec(NatsSecrets.NONE, new NatsTlsFiles(false, null, null, null,
                        tls.clientKeystore().toString(), "x" + STORE_PASSWORD, null, null)).options());
        assertEquals("stan.tls_keystore: cannot open " + tls.clientKeystore() + " (wrong stan.tls_keystore_password)",
                wrongStorePassword.getMessage());
    }

    @Test
    void mutualTlsAndCredentials() throws Exception {
        NatsOperator operator = new NatsOperator("stan-ee-tls");
        Path creds = operator.writeUserCredentials(dir.resolve("tls.creds"), "stan-ee");
        startNats(operator.serverConfig() + tls.natsServerBlock(true));
        connects(spec(new NatsSecrets(null, null, null, null, creds.toString()), pem(true, tls)));
        String explained = refused(spec(NatsSecrets.NONE, pem(true, tls)));
        assertTrue(explained.contains("refused stan-ee's credentials (none set"), explained);
    }
}
