package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import io.stanee.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee against a database server that takes TLS connections only (the test's own instance, with a CA and
 * server certificate generated for the run): with {@code stan.db.sslmode=verify-full} and the CA as
 * {@code stan.db.sslrootcert} the official Java client publishes and receives through stan-ee, and the server's own
 * view of stan-ee's sessions says every one is encrypted; with {@code sslmode=disable} stan-ee does not become
 * ready, /health shows the refusal under {@code datasource} (its kind; the server's words go to messages.log), and no
 * client is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DatabaseTlsScenario {

    static final String DATABASE = "stanee_tls";
    private static final String CHANNEL = "tls.orders";
    private static final int MESSAGES = 50;

    private final NatsServer nats = new NatsServer(4384);
    private LibertyServer liberty;

    /** Starts the database server (TLS only, these certificates) and creates {@link #DATABASE} with the schema. */
    protected abstract void startDatabase(TestCertificates certificates) throws Exception;

    protected abstract void stopDatabase() throws Exception;

    /** {@code stan.db} and the variables that point stan-ee at {@link #DATABASE} on the test's server. */
    protected abstract Map<String, String> databaseVariables();

    /** A verified TLS connection of the test's own to {@link #DATABASE}. */
    protected abstract Connection connectOverTls() throws SQLException;

    /** A URL to {@link #DATABASE} that does not encrypt. */
    protected abstract String plainUrl();

    protected abstract String user();

    /** What the server answers a connection that does not encrypt (the part an operator needs to read). */
    protected abstract String plainRefusal();

    /** The TLS version of every other session on {@link #DATABASE} as the server sees it, "" for an unencrypted one. */
    protected abstract List<String> tlsOfOtherSessions(Connection connection) throws SQLException;

    protected abstract Path rootCertificate();

    @BeforeAll
    void start() throws Exception {
        String name = getClass().getSimpleName();
        startDatabase(TestCertificates.generate(Path.of("target", "db-tls", name), "stanee-test-ca-" + name));
        nats.start();
        liberty = LibertyServer.another("stanee-h8", 9108);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (liberty != null) {
                liberty.stop();
            }
        } finally {
            try {
                nats.close();
            } finally {
                stopDatabase();
            }
        }
    }

    @Test
    @Order(1)
    void verifiedTlsConnectionsCarryTheStore() throws Exception {
        // the premise: this server refuses a client that does not encrypt
        SQLException plain = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(plainUrl(), user(), "").close());
        assertTrue(plain.getMessage().contains(plainRefusal()), "a plain connection is refused: " + plain.getMessage());

        liberty.configure(variables("verify-full")).start();

        Set<String> sent = new LinkedHashSet<>();
        List<String> received = new ArrayList<>();
        try (StreamingConnection client = StanClients.connect("tls-client", options -> options.natsUrl(nats.url()))) {
            for (int i = 1; i <= MESSAGES; i++) {
                String text = "order-" + i;
                client.publish(CHANNEL, text.getBytes(StandardCharsets.UTF_8)); // returns once stored and acked
                sent.add(text);
            }
            for (Message message : StanClients.receiveAll(client, CHANNEL, MESSAGES, Duration.ofSeconds(30))) {
                received.add(new String(message.getData(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.copyOf(sent), received, "every published message delivered back, in order");

        try (Connection connection = connectOverTls()) {
            StoredChannel stored = StoredChannel.read(connection, CHANNEL);
            assertEquals(MESSAGES, stored.sequences().size(), "the messages are in the TLS server's database");
            stored.assertHoldsExactlyOnce(sent);

            List<String> sessions = tlsOfOtherSessions(connection);
            assertFalse(sessions.isEmpty(), "stan-ee holds sessions on the database");
            assertTrue(sessions.stream().allMatch(version -> version.startsWith("TLS")),
                    "every one of stan-ee's sessions is encrypted: " + sessions);
        }
        liberty.stop();
    }

    /** What /health says of a refused connection (both servers refuse a plain one as an authorization error). */
    private static final String HEALTH_REFUSAL = "the database refused the user or password";

    @Test
    @Order(2)
    void withoutTlsStanEeIsNotReadyAndHealthSaysWhy() throws Exception {
        liberty.stop(); // in case the test above failed before it stopped the server: this start must be a new one
        liberty.configure(variables("disable")).startWithoutWaiting();
        // /health names the kind of refusal only; the server's own words (which name hosts and users) are logged
        String health = liberty.awaitHealth(HEALTH_REFUSAL, Duration.ofSeconds(120));
        assertTrue(health.startsWith("503 "), "not ready: " + health);
        assertTrue(health.contains("\"name\":\"datasource\",\"status\":\"DOWN\""), "the datasource is down: " + health);
        assertTrue(liberty.messagesLog().contains(plainRefusal()), "the log has the server's refusal");

        // and no client is served: a connect, answered in the test above, now gets no answer
        Exception refused = assertThrows(Exception.class, () -> StanClients.connect("tls-refused",
                options -> options.natsUrl(nats.url()).connectWait(Duration.ofSeconds(2))).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("timeout"), "the connect timed out: " + refused);
        assertTrue(liberty.awaitHealth(HEALTH_REFUSAL, Duration.ofSeconds(15)).startsWith("503 "), "still not ready");
        liberty.stop();
    }

    private Map<String, String> variables(String sslmode) {
        Map<String, String> variables = new LinkedHashMap<>(databaseVariables());
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.db.sslmode", sslmode);
        variables.put("stan.db.sslrootcert", rootCertificate().toAbsolutePath().toString());
        variables.put("stan.nats_server", nats.url());
        return variables;
    }
}
