package io.stanee.it;

import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import io.stanee.testing.TestCertificates;
import io.stanee.testing.TlsPostgres;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * stan-ee against a PostgreSQL that takes TLS connections only (its own instance, a CA and server certificate
 * generated for this run): with {@code stan.db.sslmode=verify-full} and the CA as {@code stan.db.sslrootcert}
 * the official Java client publishes and receives through stan-ee, and the server's own view of stan-ee's
 * connections ({@code pg_stat_ssl}) says they are encrypted; with {@code sslmode=disable} stan-ee does not become
 * ready, and /health says why (the server rejects an unencrypted connection).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTlsIT {

    private static final int POSTGRES_PORT = 5442;
    private static final Path POSTGRES_DIR = Path.of("/tmp/stanee-h8-pg");
    private static final String DATABASE = "stanee_tls";
    private static final String CHANNEL = "tls.orders";
    private static final int MESSAGES = 50;
    /** The end of PostgreSQL's refusal of a hostnossl connection: what an operator needs to read. */
    private static final String NO_ENCRYPTION = "no encryption";

    private final NatsServer nats = new NatsServer(4384);
    private TlsPostgres postgres;
    private LibertyServer liberty;

    @BeforeAll
    void start() throws Exception {
        TestCertificates certificates = TestCertificates.generate(Path.of("target", "db-tls"), "stanee-test-ca");
        postgres = TlsPostgres.start(POSTGRES_DIR, POSTGRES_PORT, certificates);
        postgres.createDatabase(DATABASE, "postgres.db.sql");
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
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void verifiedTlsConnectionsCarryTheStore() throws Exception {
        // the premise: this server refuses a client that does not encrypt
        SQLException plain = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                postgres.jdbcUrl(DATABASE, "disable"), TlsPostgres.USER, "").close());
        assertTrue(plain.getMessage().contains(NO_ENCRYPTION), "a plain connection is refused: " + plain.getMessage());

        liberty.configure(variables("verify-full", postgres.rootCertificate().toAbsolutePath().toString())).start();

        Set<String> sent = new LinkedHashSet<>();
        List<String> received;
        try (StreamingConnection client = StanClients.connect("tls-client", options -> options.natsUrl(nats.url()))) {
            for (int i = 1; i <= MESSAGES; i++) {
                String text = "order-" + i;
                client.publish(CHANNEL, text.getBytes(StandardCharsets.UTF_8)); // returns once stored and acked
                sent.add(text);
            }
            received = new ArrayList<>();
            for (Message message : StanClients.receiveAll(client, CHANNEL, MESSAGES, Duration.ofSeconds(30))) {
                received.add(new String(message.getData(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.copyOf(sent), received, "every published message delivered back, in order");

        try (Connection connection = postgres.connect(DATABASE)) {
            StoredChannel stored = StoredChannel.read(connection, CHANNEL);
            assertEquals(MESSAGES, stored.sequences().size(), "the messages are in the TLS server's database");
            stored.assertHoldsExactlyOnce(sent);

            List<String> backends = stanEeBackends(connection);
            assertFalse(backends.isEmpty(), "stan-ee holds connections to the database");
            assertTrue(backends.stream().allMatch(backend -> backend.startsWith("ssl=true")),
                    "every one of stan-ee's connections is encrypted: " + backends);
        }
        liberty.stop();
    }

    @Test
    @Order(2)
    void withoutTlsStanEeIsNotReadyAndHealthSaysWhy() throws Exception {
        liberty.configure(variables("disable", postgres.rootCertificate().toAbsolutePath().toString()))
                .startWithoutWaiting();
        String health = liberty.awaitHealth(NO_ENCRYPTION, Duration.ofSeconds(120));
        assertTrue(health.startsWith("503 "), "not ready: " + health);
        assertTrue(health.contains("\"name\":\"datasource\",\"status\":\"DOWN\""), "the datasource is down: " + health);

        // and no client is served: a connect gets no answer
        Exception refused = assertThrows(Exception.class, () -> StanClients.connect("tls-refused",
                options -> options.natsUrl(nats.url()).connectWait(Duration.ofSeconds(2))).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("timeout"), "the connect timed out: " + refused);
        assertTrue(liberty.awaitHealth(NO_ENCRYPTION, Duration.ofSeconds(10)).startsWith("503 "),
                "still not ready");
        liberty.stop();
    }

    private Map<String, String> variables(String sslmode, String rootCertificate) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("stan.db", "postgres");
        variables.put("stan.db.port", String.valueOf(POSTGRES_PORT));
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.db.sslmode", sslmode);
        variables.put("stan.db.sslrootcert", rootCertificate);
        variables.put("stan.nats_server", nats.url());
        return variables;
    }

    /** Every other backend on the database (stan-ee's pool: the test's own connection excluded), as the server sees it. */
    private static List<String> stanEeBackends(Connection connection) throws SQLException {
        List<String> backends = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.ssl, s.version, a.client_addr "
                + "FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid "
                + "WHERE a.datname = ? AND a.pid <> pg_backend_pid()")) {
            select.setString(1, DATABASE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    backends.add("ssl=" + rows.getBoolean(1) + " " + rows.getString(2) + " from " + rows.getString(3));
                }
            }
        }
        return backends;
    }
}
