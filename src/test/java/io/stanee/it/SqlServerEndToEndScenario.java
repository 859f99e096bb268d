package io.stanee.it;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.streaming.StreamingConnection;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.testing.StanClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end scenario on a production database (schema created by the DBA script), plus what only such a
 * database shows: the rows in the Go server's tables, read with plain JDBC, and the refusal to start when the
 * schema is incomplete.
 */
abstract class SqlServerEndToEndScenario extends EndToEndScenario {

    @BeforeAll
    void start() throws Exception {
        startOnEmptyStore();
    }

    /** Any message NATS accepts (1 MB by default) is stored on every database, not only those up to 64 KiB. */
    @Test
    void aMessageNearTheNatsMaxPayloadIsStoredAndDeliveredWhole() throws Exception {
        String channel = channel("big");
        byte[] big = new byte[900 * 1024];
        new java.util.Random(42).nextBytes(big);
        try (StreamingConnection connection = StanClients.connect("e2e-big")) {
            connection.publish(channel, big); // synchronous: returns once the server acknowledged it
            List<io.nats.streaming.Message> received = StanClients.receiveAll(connection, channel, 1,
                    java.time.Duration.ofSeconds(10));
            assertEquals(1, received.size(), "delivered");
            assertArrayEquals(big, received.get(0).getData(), "delivered whole");
        }
        try (Connection db = database().connect();
             PreparedStatement query = db.prepareStatement("SELECT m.size, m.data FROM Messages m "
                     + "JOIN Channels c ON c.id = m.id WHERE c.name = ?")) {
            query.setString(1, channel);
            try (ResultSet rs = query.executeQuery()) {
                assertTrue(rs.next(), "stored");
                assertArrayEquals(big, decode(rs.getBytes("data")).getData().toByteArray(), "stored whole");
            }
        }
    }

    @Test
    void messagesAreRowsOfTheGoServersMessagesTable() throws Exception {
        String channel = channel("rows");
        try (StreamingConnection connection = StanClients.connect("e2e-rows")) {
            publish(connection, channel);
        }
        try (Connection db = database().connect()) {
            int channelId;
            try (PreparedStatement query = db.prepareStatement("SELECT id FROM Channels WHERE name = ?")) {
                query.setString(1, channel);
                try (ResultSet rs = query.executeQuery()) {
                    assertTrue(rs.next(), "a Channels row for " + channel);
                    channelId = rs.getInt(1);
                }
            }
            try (PreparedStatement query = db.prepareStatement(
                    "SELECT id, seq, timestamp, size, data FROM Messages WHERE id = ? ORDER BY seq")) {
                query.setInt(1, channelId);
                try (ResultSet rs = query.executeQuery()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        byte[] data = rs.getBytes("data");
                        MsgProto message = decode(data);
                        assertEquals(channelId, rs.getInt("id"));
                        assertEquals(rows, rs.getLong("seq"));
                        assertEquals(data.length, rs.getInt("size"), "size is the length of the MsgProto");
                        assertEquals(rows, message.getSequence());
                        assertEquals(channel, message.getSubject());
                        assertEquals(rs.getLong("timestamp"), message.getTimestamp());
                        assertArrayEquals(payload(rows), message.getData().toByteArray());
                    }
                    assertEquals(COUNT, rows);
                }
            }
            try (Statement query = db.createStatement();
                 ResultSet rs = query.executeQuery("SELECT id, version FROM ServerInfo")) {
                assertTrue(rs.next());
                assertEquals(StanClients.CLUSTER_ID, rs.getString("id"));
                assertEquals(1, rs.getInt("version"));
            }
        }
    }

    @Test
    void refusesToStartWhenATableIsMissingAndNamesTheScript() throws Exception {
        liberty.stop();
        try {
            database().recreate(true);
            try (Connection db = database().connect(); Statement statement = db.createStatement()) {
                statement.execute("DROP TABLE StoreLock");
            }
            String log = liberty.startExpectingLog("schema is incomplete");
            assertTrue(log.contains("table StoreLock"), "the error names the missing table");
            assertTrue(log.contains("sql/" + script()), "the error names the script to run");
            assertTrue(liberty.get("/health/ready").startsWith("503"), "not ready without a schema");
        } finally {
            liberty.stop();
            startOnEmptyStore();
        }
    }

    abstract String script();

    private static MsgProto decode(byte[] data) {
        try {
            return MsgProto.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("Messages.data is not a MsgProto", e);
        }
    }
}
