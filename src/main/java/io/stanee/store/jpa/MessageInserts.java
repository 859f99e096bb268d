package io.stanee.store.jpa;

import io.stanee.store.StoreOp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes the published messages of a batch as one JDBC batch on the transaction's connection.
 *
 * <p>Hand-written instead of persisting {@link MessageRow} entities: a message row is written once and never
 * changed or read back as a managed entity, and at tens of thousands of messages a second EclipseLink's
 * per-entity unit-of-work bookkeeping (clones, change sets, identity maps) cost more than the insert itself.
 * The statement and the columns are those {@link MessageRow} maps; reads still go through the entity.
 */
final class MessageInserts {

    private static final String INSERT = "INSERT INTO Messages (id, seq, timestamp, size, data) VALUES (?, ?, ?, ?, ?)";
    private static final int CHUNK = 1000;

    private MessageInserts() {
    }

    /** Inserts every {@link StoreOp.AddMessage} of the operations; nothing if there is none. */
    static void write(DataSource dataSource, List<StoreOp> ops) throws SQLException {
        if (ops.stream().noneMatch(op -> op instanceof StoreOp.AddMessage)) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int pending = 0;
            for (StoreOp op : ops) {
                if (op instanceof StoreOp.AddMessage m) {
                    insert.setInt(1, m.channelId());
                    insert.setLong(2, m.sequence());
                    insert.setLong(3, m.timestamp());
                    insert.setInt(4, m.data().length);
                    insert.setBytes(5, m.data());
                    insert.addBatch();
                    if (++pending == CHUNK) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }
}
