package io.stanee.it;

import com.google.protobuf.ByteString;
import io.nats.streaming.StreamingConnection;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL store the Go server 0.25.6 wrote encrypted (AES on one channel, ChaCha20-Poly1305 on another;
 * src/test/resources/go-encrypted, recorded by .ci/encryption-fixtures) is served by stan-ee given the key: the
 * official Java client receives the original payloads; what stan-ee adds is stored encrypted in Go's layout; and
 * with another key stan-ee refuses to start, saying why, instead of delivering ciphertext.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptedGoStoreIT {

    private static final String DATABASE = "stanee_h7";
    private final NatsServer nats = new NatsServer(4382);
    private LibertyServer liberty;

    @BeforeAll
    void start() throws Exception {
        TestDatabase.POSTGRES.recreate(DATABASE, true);
        try (Connection db = TestDatabase.POSTGRES.connect(DATABASE); Statement statement = db.createStatement()) {
            for (String line : Files.readAllLines(Path.of("src/test/resources/go-encrypted/postgres.sql"))) {
                if (line.startsWith("INSERT")) {
                    statement.execute(line);
                }
            }
        }
        nats.start();
        liberty = LibertyServer.another("stanee-h7", 9107);
        liberty.configure(variables(EncryptedPayloads.FIXTURE_KEY)).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    private Map<String, String> variables(String key) {
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.encrypt", "true");
        variables.put("stan.encryption_cipher", "CHACHA");
        variables.put("stan.encryption_key", key);
        return variables;
    }

    private StreamingConnection connect(String clientId) throws Exception {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url()));
    }

    @Test
    @Order(1)
    void theGoServersEncryptedMessagesAreDeliveredAsPublished() throws Exception {
        try (StreamingConnection connection = connect("reads-go-encrypted")) {
            for (String channel : List.of(EncryptedPayloads.AES_CHANNEL, EncryptedPayloads.CHACHA_CHANNEL)) {
                assertEquals(List.of(), EncryptedPayloads.check(connection, channel,
                        EncryptedPayloads.FIXTURE_MESSAGES), "every payload the Go server encrypted, in order");
            }
        }
    }

    @Test
    @Order(2)
    void whatStanEeAddsIsStoredEncryptedInGosLayout() throws Exception {
        try (StreamingConnection connection = connect("adds-encrypted")) {
            EncryptedPayloads.publish(connection, EncryptedPayloads.AES_CHANNEL, EncryptedPayloads.FIXTURE_MESSAGES + 1, 1);
            assertEquals(List.of(), EncryptedPayloads.check(connection, EncryptedPayloads.AES_CHANNEL,
                    EncryptedPayloads.FIXTURE_MESSAGES + 1));
        }
        MsgProto stored;
        try (Connection db = TestDatabase.POSTGRES.connect(DATABASE); Statement statement = db.createStatement();
             ResultSet row = statement.executeQuery("SELECT data FROM Messages WHERE id = 1 AND seq = "
                     + (EncryptedPayloads.FIXTURE_MESSAGES + 1))) {
            assertTrue(row.next(), "the new message is stored");
            stored = MsgProto.parseFrom(row.getBytes(1));
        }
        ByteString data = stored.getData();
        byte[] plain = EncryptedPayloads.payload(EncryptedPayloads.AES_CHANNEL, EncryptedPayloads.FIXTURE_MESSAGES + 1);
        assertEquals(2, data.byteAt(0), "written with the configured cipher (CHACHA: code 2)");
        assertEquals(1 + 12 + plain.length + 16, data.size(), "code, nonce, ciphertext, tag");
        assertEquals(EncryptedPayloads.FIXTURE_MESSAGES + 1, data.byteAt(12),
                "the nonce counts from the channel's last sequence + 1, as Go's");
        assertFalse(data.toString(StandardCharsets.ISO_8859_1).contains("payload"), "no plaintext in the row");
        assertEquals(EncryptedPayloads.AES_CHANNEL, stored.getSubject(), "only the payload is encrypted");
    }

    @Test
    @Order(3) // restarts the server with another key: last
    void anotherKeyRefusesToStartWithTheCiphersError() throws Exception {
        liberty.stop();
        liberty.configure(variables("not the key"));
        String log = liberty.startExpectingLog("unable to decrypt the stored messages");
        // the newest message of each channel is checked: on enc.aes the one stan-ee added above with CHACHA
        assertTrue(log.contains("channel \"enc.aes\" message 6: chacha20poly1305: message authentication failed"),
                "ChaCha20-Poly1305's error, naming the channel and message");
        assertTrue(log.contains("channel \"enc.chacha\" message 5: chacha20poly1305: message authentication failed"),
                "on the message the Go server wrote too");
        assertTrue(liberty.get("/health/ready").startsWith("503"), "not ready");
        // nothing is served, so nothing can be delivered: a client's connect request gets no answer
        assertThrows(Exception.class, () -> connect("must-fail").close());
    }
}
