package io.stanee.store.jpa;

import io.stanee.store.StoreOp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subscription states a batch writes in the caching layout ({@link StoreOp.ReplacePending}), gathered and
 * written at the end of the batch as three JDBC batches: the subscriptions' earlier SubsPending rows deleted, one
 * new row each, their Subscriptions.lastsent set.
 *
 * <p>Hand-written instead of two JPQL bulk statements and a persisted entity per subscription: every caching-mode
 * subscription with traffic writes its state once a second, so with 600 durables that was 1,800 statements a
 * second, each its own round trip, and each JPQL bulk statement made EclipseLink walk the persistence context to
 * invalidate what it might have changed. On the 1,000-channel benchmark that was most of the worker's time
 * outside the database (docs/performance.md, round 6).
 *
 * <p>Written last, after the batch's other operations: a subscription created in the same batch exists by then
 * (its lastsent is set, not lost), and one deleted in the same batch is {@link #forget forgotten} first, so its
 * rows are not written back.
 */
final class PendingStates {

    /** Per subscription, its newest state in this batch (a later one replaces an earlier one). */
    private final Map<Long, StoreOp.ReplacePending> bySub = new LinkedHashMap<>();

    void add(StoreOp.ReplacePending state) {
        bySub.put(state.subId(), state);
    }

    /** The subscription's rows are deleted in this batch: no state of it is written. */
    void forget(long subId) {
        bySub.remove(subId);
    }

    /** On the transaction's connection (Liberty hands out the one EclipseLink writes on, so order is kept). */
    void write(DataSource dataSource) throws SQLException {
        if (bySub.isEmpty()) {
            return;
        }
        Collection<StoreOp.ReplacePending> states = bySub.values();
        try (Connection connection = dataSource.getConnection()) {
            SchemaGuard.Dialect dialect = SchemaGuard.Dialect.of(connection);
            try (PreparedStatement delete = connection.prepareStatement(Statements.DELETE_SUBSCRIPTION_PENDING)) {
                for (StoreOp.ReplacePending state : states) {
                    delete.setLong(1, state.subId());
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(Statements.insertPendingState(dialect),
                    java.sql.Statement.NO_GENERATED_KEYS)) {
                for (StoreOp.ReplacePending state : states) {
                    insert.setLong(1, state.subId());
                    insert.setLong(2, state.row());
                    insert.setLong(3, state.lastSent());
                    insert.setBytes(4, JsonSequences.format(state.pending()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = connection.prepareStatement(Statements.SET_LAST_SENT)) {
                for (StoreOp.ReplacePending state : states) {
                    update.setLong(1, state.lastSent());
                    update.setInt(2, state.channelId());
                    update.setLong(3, state.subId());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }
}
