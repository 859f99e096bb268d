package io.stanee.it;

import io.nats.streaming.StreamingConnection;
import io.stanee.testing.GoStreamingServer;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee writes an encrypted PostgreSQL store (AES on one channel, then, restarted, ChaCha20-Poly1305 on
 * another), and the Go server 0.25.6 given the key delivers every original payload to the official Java client
 * with deliver-all; given another key it delivers nothing and logs Go's cipher errors. Needs STAN_GO_SERVER:
 * run by {@code .ci/encryption-go-interop}, not part of {@code mvn verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedStoreGoReadsScenario {

    private static final String DATABASE = "stanee_h7_interop";
    private static final String KEY = "stan-ee scenario key";
    private final NatsServer nats = new NatsServer(4383);
    private LibertyServer liberty;
    private final List<GoStreamingServer> goServers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        GoStreamingServer.binary(); // fails first if the Go server is not given
        TestDatabase.POSTGRES.recreate(DATABASE, true);
        nats.start();
        liberty = LibertyServer.another("stanee-h7", 9107);
    }

    @AfterAll
    void stop() throws Exception {
        for (GoStreamingServer go : goServers) {
            go.close();
        }
        if (liberty != null) {
            liberty.stop();
        }
        nats.close();
    }

    private StreamingConnection connect(String clientId) throws Exception {
        return StanClients.connect(clientId, options -> options.natsUrl(nats.url()));
    }

    private void stanEeWrites(String cipher, String channel) throws Exception {
        Map<String, String> variables = new LinkedHashMap<>(TestDatabase.POSTGRES.libertyVariables(liberty));
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.nats_server", nats.url());
        variables.put("stan.encrypt", "true");
        variables.put("stan.encryption_cipher", cipher);
        variables.put("stan.encryption_key", KEY);
        liberty.configure(variables).start();
        try (StreamingConnection connection = connect("ee-writes-" + cipher)) {
            EncryptedPayloads.publish(connection, channel, 1, EncryptedPayloads.FIXTURE_MESSAGES);
            assertEquals(List.of(), EncryptedPayloads.check(connection, channel, EncryptedPayloads.FIXTURE_MESSAGES),
                    "stan-ee reads back what it wrote");
        }
        liberty.stop();
    }

    private GoStreamingServer goServer(String name, String key) throws Exception {
        GoStreamingServer go = new GoStreamingServer(name, List.of("-cid", StanClients.CLUSTER_ID, "-ns", nats.url(),
                "--store", "sql", "--sql_driver", "postgres", "--sql_source",
                "host=127.0.0.1 port=5432 user=postgres dbname=" + DATABASE + " sslmode=disable",
                "--encrypt", "--encryption_key", key));
        goServers.add(go);
        go.start().awaitLog("Streaming Server is ready", Duration.ofSeconds(30));
        return go;
    }

    @Test
    void theGoServerReadsWhatStanEeEncrypted() throws Exception {
        stanEeWrites("AES", EncryptedPayloads.AES_CHANNEL);
        stanEeWrites("CHACHA", EncryptedPayloads.CHACHA_CHANNEL);

        try (GoStreamingServer go = goServer("encrypted-reader", KEY);
             StreamingConnection connection = connect("go-reads-encrypted")) {
            for (String channel : List.of(EncryptedPayloads.AES_CHANNEL, EncryptedPayloads.CHACHA_CHANNEL)) {
                List<String> problems = EncryptedPayloads.check(connection, channel, EncryptedPayloads.FIXTURE_MESSAGES);
                assertEquals(List.of(), problems, "the Go server delivers every payload stan-ee encrypted");
                System.out.println("Go server with the key: " + channel + " 1.." + EncryptedPayloads.FIXTURE_MESSAGES
                        + " delivered as published");
            }
        }

        try (GoStreamingServer go = goServer("wrong-key-reader", "another key");
             StreamingConnection connection = connect("go-wrong-key")) {
            List<String> problems = EncryptedPayloads.check(connection, EncryptedPayloads.AES_CHANNEL,
                    EncryptedPayloads.FIXTURE_MESSAGES);
            assertEquals(List.of(EncryptedPayloads.AES_CHANNEL + ": received 0 of 5 messages"), problems,
                    "with another key the Go server delivers nothing rather than ciphertext");
            go.awaitLog("cipher: message authentication failed", Duration.ofSeconds(10));
            System.out.println("Go server with another key: nothing delivered, it logs: "
                    + go.log().lines().filter(l -> l.contains("authentication failed")).findFirst().orElse(""));
        }
    }
}
