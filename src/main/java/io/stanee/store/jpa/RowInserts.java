package io.stanee.store.jpa;

import io.stanee.store.StoreOp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Writes the rows a batch appends by the thousand (published messages; pending messages in no-caching mode)
 * as JDBC batches on the transaction's connection, before the batch's other operations.
 *
 * <p>Hand-written instead of persisting {@link MessageRow} and {@link PendingRow} entities: these rows are
 * written once, never changed and never read back as managed entities, and at tens of thousands a second
 * EclipseLink's per-entity unit-of-work bookkeeping (clones, change sets, identity maps) cost more than the
 * inserts themselves. The statements and columns are those the entities map; reads go through the entities.
 * Writing them first is safe: no other operation of a batch must precede an insert of a new row (deletions
 * of the same rows come later in the batch or in a later one).
 */
final class RowInserts {

    private static final int CHUNK = 1000;

    private RowInserts() {
    }

    /** Inserts every {@link StoreOp.AddMessage} and {@link StoreOp.AddPending} of the operations. */
    static void write(DataSource dataSource, List<StoreOp> ops) throws SQLException {
        boolean messages = ops.stream().anyMatch(op -> op instanceof StoreOp.AddMessage);
        boolean pending = ops.stream().anyMatch(op -> op instanceof StoreOp.AddPending);
        if (!messages && !pending) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (messages) {
                insertMessages(connection, ops);
            }
            if (pending) {
                insertPending(connection, ops);
            }
        }
    }

    private static void insertMessages(Connection connection, List<StoreOp> ops) throws SQLException {
        insertAll(connection, Statements.INSERT_MESSAGE, ops, StoreOp.AddMessage.class, (insert, m) -> {
            insert.setInt(1, m.channelId());
            insert.setLong(2, m.sequence());
            insert.setLong(3, m.timestamp());
            insert.setInt(4, m.data().length);
            insert.setBytes(5, m.data());
        });
    }

    private static void insertPending(Connection connection, List<StoreOp> ops) throws SQLException {
        insertAll(connection, Statements.insertPending(SchemaGuard.Dialect.of(connection)), ops, StoreOp.AddPending.class, (insert, p) -> {
            insert.setLong(1, p.subId());
            insert.setLong(2, p.row());
            insert.setLong(3, p.sequence());
        });
    }

    /** Binds one operation's values to the insert. */
    private interface Binder<T> {
        void bind(PreparedStatement insert, T op) throws SQLException;
    }

    /** One JDBC batch (executed every {@value #CHUNK} rows) of every operation of the given type. */
    private static <T extends StoreOp> void insertAll(Connection connection, String sql, List<StoreOp> ops,
                                                      Class<T> type, Binder<T> binder) throws SQLException {
        // NO_GENERATED_KEYS spelled out: Liberty prepares a plain prepareStatement(sql) with the result-set type
        // and concurrency, and for that form MariaDB Connector/J asks for generated keys, which rules out its
        // bulk command: a batch then goes out as one execute per row
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.NO_GENERATED_KEYS)) {
            int queued = 0;
            for (StoreOp op : ops) {
                if (type.isInstance(op)) {
                    binder.bind(insert, type.cast(op));
                    insert.addBatch();
                    if (++queued == CHUNK) {
                        insert.executeBatch();
                        queued = 0;
                    }
                }
            }
            if (queued > 0) {
                insert.executeBatch();
            }
        }
    }
}
