package io.stanee.it;

import io.nats.streaming.StreamingConnection;
import io.stanee.store.jpa.SqlScript;
import io.stanee.testing.AsyncLoad;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.NatsServer;
import io.stanee.testing.PgAutoFailover;
import io.stanee.testing.StanClients;
import io.stanee.testing.StoredChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee on PostgreSQL made highly available by pg_auto_failover (stan.db=postgres-ha), with synchronous
 * replication: under continuous asynchronous publishing the primary's node crashes (SIGKILL of its keeper,
 * postmaster and backends, as a machine crash), the monitor promotes the standby, and the same stan-ee, not
 * restarted, serves the same client again. Every acknowledged message is then on the new primary, once, with
 * gap-free sequences. Reports the failover time the client saw and how many publishes failed meanwhile.
 *
 * <p>Not an IT (it installs packages and runs a formation on ports 6000-6002, about a minute): run it with
 * .ci/pg-failover.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFailoverScenario {

    private static final String DATABASE = "stanee_ha";
    private static final String CHANNEL = "ha";

    private final NatsServer nats = new NatsServer(4350);
    private PgAutoFailover formation;
    private LibertyServer liberty;
    private StreamingConnection client;
    private double setupSeconds;

    @BeforeAll
    void startEverything() throws Exception {
        long setupStart = System.nanoTime();
        formation = PgAutoFailover.start();
        setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        createSchema();
        nats.start();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("stan.db", "postgres-ha");
        variables.put("stan.db.hosts", formation.hosts());
        variables.put("stan.db.name", DATABASE);
        variables.put("stan.nats_server", nats.url());
        liberty = LibertyServer.another("stanee-ha", 9091);
        liberty.configure(variables).start();
        client = StanClients.connect("ha-publisher", options -> options.natsUrl(nats.url())
                .pubAckWait(Duration.ofSeconds(10)).maxPubAcksInFlight(256));
    }

    /** As the DBA would: the database and sql/postgres.db.sql on the primary; replication copies them. */
    private void createSchema() throws Exception {
        try (Connection admin = formation.connectToPrimary("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection connection = formation.connectToPrimary(DATABASE);
             Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(Files.readString(Path.of("sql", "postgres.db.sql")))) {
                statement.execute(sql);
            }
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } catch (Exception e) {
            // the server side may be gone already
        } finally {
            try {
                if (liberty != null) {
                    liberty.stop();
                }
                nats.close();
            } finally {
                if (formation != null) {
                    formation.close();
                }
            }
        }
    }

    @Test
    void acknowledgedMessagesSurviveACrashOfThePrimary() throws Exception {
        try (AsyncLoad load = new AsyncLoad(client, CHANNEL, CHANNEL)) {
            load.awaitAcked(2000, Duration.ofSeconds(60));
            PgAutoFailover.Node old = formation.primary().orElseThrow();
            String sync = formation.synchronousStandbyNames();
            assertFalse(sync.isBlank(), "the primary commits synchronously before the crash");

            int ackedBeforeCrash = load.acked();
            long failedBeforeCrash = load.failed();
            long crashedAt = formation.crash(old, load::mark);
            PgAutoFailover.Node promoted = formation.awaitPrimary(node -> !node.name().equals(old.name()),
                    Duration.ofSeconds(60));
            double promotedSeconds = (System.nanoTime() - crashedAt) / 1e9;
            assertNotEquals(old.name(), promoted.name());

            // the same stan-ee, not restarted, and the same client connection carry on
            load.awaitAcked(ackedBeforeCrash + 2000, Duration.ofSeconds(60));
            double clientSeconds = (load.firstAckAfterMark().orElseThrow() - crashedAt) / 1e9;
            long failedDuringFailover = load.failed() - failedBeforeCrash;

            Set<String> acked = load.stop(Duration.ofSeconds(15));
            StoredChannel stored;
            try (Connection primary = formation.connectToPrimary(DATABASE)) {
                stored = StoredChannel.read(primary, CHANNEL);
            }
            System.out.printf("HA failover: setup %.1f s; %s crashed (sync standby: %s), %s primary after %.1f s; "
                            + "client: first ack %.1f s after the crash, %d publishes failed meanwhile; "
                            + "%d acknowledged, %d stored, %d failed in all%n",
                    setupSeconds, old.name(), sync, promoted.name(), promotedSeconds, clientSeconds,
                    failedDuringFailover, acked.size(), stored.sequences().size(), load.failed());
            stored.assertHoldsExactlyOnce(acked);
            assertTrue(stored.sequences().size() >= acked.size(), "at least every acknowledged message is stored");
        }
    }
}
