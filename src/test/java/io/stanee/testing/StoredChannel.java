package io.stanee.testing;

import io.stanee.protocol.pb.Protocol.MsgProto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's rows as the Messages table holds them, read straight from the database (not through stan-ee). */
public record StoredChannel(List<Long> sequences, List<String> payloads) {

    public static StoredChannel read(TestDatabase database, String channel) throws SQLException {
        return read(database, TestDatabase.NAME, channel);
    }

    /** The channel's rows in the scratch database of that name (a second server's own store). */
    public static StoredChannel read(TestDatabase database, String name, String channel) throws SQLException {
        try (Connection connection = database.connect(name)) {
            return read(connection, channel);
        }
    }

    /** Reads over a connection the caller opened (e.g. to whichever node of an HA formation is primary now). */
    public static StoredChannel read(Connection connection, String channel) throws SQLException {
        List<Long> sequences = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT m.seq, m.data FROM Messages m "
                + "JOIN Channels c ON c.id = m.id WHERE c.name = ? ORDER BY m.seq")) {
            select.setString(1, channel);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sequences.add(rows.getLong(1));
                    payloads.add(MsgProto.parseFrom(rows.getBytes(2)).getData().toStringUtf8());
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new SQLException("a stored message does not decode", e);
            }
        }
        return new StoredChannel(sequences, payloads);
    }

    /**
     * Asserts what "acknowledged = committed" promises: sequences 1..n without a gap, every payload once, and
     * every acknowledged payload among them.
     */
    public void assertHoldsExactlyOnce(Set<String> acknowledged) {
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i + 1, sequences.get(i), "sequences without gaps");
        }
        Set<String> unique = new HashSet<>(payloads);
        assertEquals(payloads.size(), unique.size(), "every message stored once");
        List<String> missing = acknowledged.stream().filter(p -> !unique.contains(p)).limit(5).toList();
        assertTrue(missing.isEmpty(), "every acknowledged message is stored; missing: " + missing);
    }
}
