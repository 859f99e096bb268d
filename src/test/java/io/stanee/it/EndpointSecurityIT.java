package io.stanee.it;

import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan.security=basic (liberty/security/basic.xml) as an operator turns it on: /metrics and the Go monitoring
 * endpoints answer 401 without credentials or with a wrong password, 200 to the administrator, only over HTTPS
 * (Liberty's own certificate, trusted here through the key store it made); plain HTTP gets no data. /health stays
 * open (MicroProfile Health has no authentication in Liberty), and the administrator's password is in no log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointSecurityIT {

    private static final int HTTPS_PORT = 9446;
    private static final String ADMIN = "stanadmin";
    private static final String PASSWORD = "admin-pw-Rt51Yq";
    private static final String KEYSTORE_PASSWORD = "keystore-pw-Jx20";

    private final NatsServer nats = new NatsServer(4378);
    private LibertyServer liberty;

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    @Test
    void operationalEndpointsNeedTheAdministratorOverHttps() throws Exception {
        nats.start();
        liberty = LibertyServer.another("stanee-h6", 9106);
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.DERBY.libertyVariables(liberty));
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.security", "basic");
        variables.put("stan.admin.user", ADMIN);
        variables.put("stan.admin.password", "{xor}" + xor(PASSWORD));
        variables.put("stan.keystore.password", KEYSTORE_PASSWORD);
        variables.put("https.port", String.valueOf(HTTPS_PORT));
        liberty.deleteDerbyDatabase();
        liberty.configure(variables).start(); // waits for /health/ready over HTTP: health is not covered

        SSLContext trustLiberty = trustLibertysCertificate();
        for (String path : new String[] {"/metrics", "/streaming/serverz"}) {
            assertEquals(401, https(trustLiberty, path, null, null).status(), path + " without credentials");
            assertEquals(401, https(trustLiberty, path, ADMIN, "x" + PASSWORD).status(),
                    path + " with a wrong password");
            Answer answer = https(trustLiberty, path, ADMIN, PASSWORD);
            assertEquals(200, answer.status(), path + " as the administrator: " + answer.body());
            Answer plain = http(path);
            assertNotEquals(200, plain.status(), path + " over plain HTTP gives no data: " + plain.body());
        }
        assertTrue(https(trustLiberty, "/metrics?scope=application", ADMIN, PASSWORD).body().contains("stan_clients"),
                "the administrator reads stan-ee's metrics");
        assertTrue(https(trustLiberty, "/streaming/serverz", ADMIN, PASSWORD).body().contains("\"cluster_id\""),
                "the administrator reads serverz");
        assertEquals(302, http("/streaming/serverz").status(), "plain HTTP is sent to HTTPS");
        assertTrue(liberty.get("/health").startsWith("200 "), "health stays open (documented)");
        assertFalse(liberty.messagesLog().contains(PASSWORD), "the administrator's password is in no log line");
    }

    private record Answer(int status, String body) {
    }

    private Answer https(SSLContext context, String path, String user, String password) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + HTTPS_PORT + path)
                .toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        // Liberty's generated certificate names the host "localhost"; the chain is still verified
        connection.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
        if (user != null) {
            connection.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return read(connection);
    }

    private Answer http(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + liberty.httpPort() + path)
                .toURL().openConnection();
        connection.setInstanceFollowRedirects(false);
        return read(connection);
    }

    private static Answer read(HttpURLConnection connection) throws IOException {
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(15_000);
        try {
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            return new Answer(status, body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    /** The key store Liberty created with stan.keystore.password on first start holds its certificate. */
    private static SSLContext trustLibertysCertificate() throws Exception {
        Path wlp = Path.of(System.getProperty("liberty.wlp.dir", "target/liberty/wlp"));
        Path keyStore = wlp.resolve("usr/servers/stanee-h6/resources/security/key.p12");
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), KEYSTORE_PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String xor(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] ^= '_';
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
