package io.stanee.store.jpa;

import io.stanee.store.LockAttempt;
import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreConnectionLost;
import io.stanee.store.StoreException;
import io.stanee.store.StoreFailures;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;
import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The store on the Go server's SQL tables. {@link #apply} runs in one container-managed JTA transaction:
 * appended rows (messages, pending messages) go first, as JDBC batches ({@link RowInserts}); the other rows are entities
 * written by EclipseLink's batch writing; deletions of acknowledged pending rows are gathered per subscription
 * ({@link PendingDeletes}).
 */
@Stateless
@Local(Store.class)
public class JpaStore implements Store {

    /** Rows per round when a deleted channel is purged (the Go store's deep-delete batch). */
    private static final int PURGE_ROUND = 1000;

    /** How long the probe of {@link #reachable} waits for the database's answer on a connection it got. */
    private static final int PROBE_SECONDS = 5;

    @PersistenceContext(unitName = "stanee")
    private EntityManager em;

    /**
     * The persistence unit's datasource (in a transaction Liberty shares the one connection). A resource
     * reference, so that a deployment can bind it elsewhere (the store tests run it on three databases).
     */
    @Resource(name = "jdbc/stanee", lookup = "jdbc/stanee")
    private DataSource dataSource;

    /** Outside a transaction: an empty embedded Derby database gets its schema here (DDL, committed at once). */
    @Override
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public StoredMessageLimit checkSchema() {
        return SchemaGuard.verify(dataSource);
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public RecoveredState recover() {
        try {
            return new Recovery(em, dataSource).read();
        } catch (PersistenceException | SQLException e) {
            throw new StoreException("recovery failed: " + e.getMessage(), e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void apply(StoreBatch batch) {
        try {
            if (batch.requiredLockOwner() != null) {
                try (Connection connection = dataSource.getConnection()) {
                    StoreLockSql.requireOwner(connection, SchemaGuard.Dialect.of(connection), batch.requiredLockOwner());
                }
            }
            RowInserts.write(dataSource, batch.ops());
            if (batch.ops().stream().anyMatch(op -> !(op instanceof StoreOp.AddMessage)
                    && !(op instanceof StoreOp.AddPending))) {
                new BatchWriter().write(batch.ops()); // appends alone need no persistence context
            }
        } catch (PersistenceException e) {
            throw failure(e.getMessage(), e);
        } catch (SQLException e) {
            throw failure("sql: error writing the batch: " + e.getMessage(), e);
        }
    }

    /**
     * A failure inside {@link #apply} happens before the container commits, and the transaction is then rolled
     * back: when the connection broke, nothing was written and the caller may do it all again on a fresh one.
     * A failure at commit never comes through here (the container reports it), so it stays an unknown outcome.
     */
    private static StoreException failure(String message, Exception e) {
        return StoreFailures.connectionLost(e) ? new StoreConnectionLost(message, e) : new StoreException(message, e);
    }

    /** A fresh look at the database, on a container thread: a hanging database holds that thread, not the caller. */
    @Override
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Future<Boolean> reachable() {
        try (Connection connection = dataSource.getConnection()) {
            return CompletableFuture.completedFuture(connection.isValid(PROBE_SECONDS));
        } catch (SQLException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** In a transaction of its own: the lock row is held only for the few statements of one attempt. */
    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public LockAttempt acquireLock(String lockId, boolean steal) {
        try (Connection connection = dataSource.getConnection()) {
            return StoreLockSql.acquire(connection, lockId, steal);
        } catch (SQLException e) {
            throw new StoreException("sql: error attempting to get the store lock: " + e.getMessage(), e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void releaseLock(String lockId) {
        try (Connection connection = dataSource.getConnection()) {
            StoreLockSql.release(connection, lockId);
        } catch (SQLException e) {
            throw new StoreException("sql: error releasing the store lock: " + e.getMessage(), e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean purgeDeletedChannel(int channelId) {
        try {
            List<Long> subIds = em.createQuery(Statements.PURGE_PENDING_SUBSCRIPTIONS, Long.class)
                    .setParameter("c", channelId).setMaxResults(PURGE_ROUND).getResultList();
            if (!subIds.isEmpty()) {
                em.createQuery(Statements.PURGE_PENDING).setParameter("subs", subIds)
                        .executeUpdate();
                return false;
            }
            List<Long> lowest = em.createQuery(Statements.PURGE_LOWEST_SEQUENCES,
                    Long.class).setParameter("c", channelId).setMaxResults(PURGE_ROUND).getResultList();
            if (!lowest.isEmpty()) {
                em.createQuery(Statements.DELETE_MESSAGES_THROUGH)
                        .setParameter("c", channelId).setParameter("s", lowest.get(lowest.size() - 1)).executeUpdate();
                return false;
            }
            em.createQuery(Statements.PURGE_SUBSCRIPTIONS).setParameter("c", channelId)
                    .executeUpdate();
            em.createQuery(Statements.PURGE_CHANNEL)
                    .setParameter("c", channelId).executeUpdate();
            return true;
        } catch (PersistenceException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<StoredMessage> messages(int channelId, long fromSeq, int max) {
        return em.createQuery(Statements.MESSAGES_FROM,
                        MessageRow.class)
                .setParameter("c", channelId)
                .setParameter("s", fromSeq)
                .setMaxResults(max)
                .getResultStream()
                .map(m -> new StoredMessage(m.seq(), m.timestamp(), m.data()))
                .toList();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MessageSize> messageSizes(int channelId, long fromSeq, int max) {
        return em.createQuery(Statements.MESSAGE_SIZES_FROM, Object[].class)
                .setParameter("c", channelId)
                .setParameter("s", fromSeq)
                .setMaxResults(max)
                .getResultStream()
                .map(row -> new MessageSize(((Number) row[0]).longValue(), ((Number) row[1]).longValue()))
                .toList();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean channelStored(int channelId) {
        return em.find(ChannelRow.class, channelId) != null;
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long lastSequence(int channelId) {
        Long seq = em.createQuery(Statements.LAST_SEQUENCE, Long.class)
                .setParameter("c", channelId)
                .getSingleResult();
        return seq == null ? 0 : seq;
    }

    /**
     * On a container thread of its own, so that the caller goes on while the database scans the rows; a range
     * after another, each read on its own (no transaction around them all: thousands of channels may take longer
     * than the transaction timeout, and a read holds a pooled connection only while it runs).
     */
    @Override
    @Asynchronous
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges) {
        List<MessageTotals> totals = new ArrayList<>(ranges.size());
        try {
            TypedQuery<Object[]> count = em.createQuery(Statements.MESSAGE_TOTALS, Object[].class);
            for (StoredRange range : ranges) {
                Object[] row = count.setParameter("c", range.channelId())
                        .setParameter("first", range.first())
                        .setParameter("last", range.last())
                        .getSingleResult();
                totals.add(new MessageTotals(number(row[0]), number(row[1])));
            }
            return CompletableFuture.completedFuture(totals);
        } catch (PersistenceException e) {
            throw new StoreException("sql: error counting messages: " + e.getMessage(), e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public MessagesUpTo messagesUpTo(int channelId, long timestamp) {
        Object[] row = em.createQuery(Statements.MESSAGES_UP_TO, Object[].class)
                .setParameter("c", channelId)
                .setParameter("t", timestamp)
                .getSingleResult();
        return new MessagesUpTo(number(row[0]), number(row[1]), number(row[2]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long firstSequenceAtOrAfter(int channelId, long timestamp) {
        Long seq = em.createQuery(Statements.FIRST_SEQUENCE_AT_OR_AFTER,
                        Long.class)
                .setParameter("c", channelId)
                .setParameter("t", timestamp)
                .getSingleResult();
        return seq == null ? 0 : seq;
    }

    /** Writes one batch; keeps SQL in the order of the operations where order matters. */
    private final class BatchWriter {

        private boolean unflushedInserts;
        private final Map<Long, List<Long>> ackedBySub = new HashMap<>();
        /** Per subscription: the highest acknowledged sequence that was its last sent (no-caching mode). */
        private final Map<Long, StoreOp.AckPending> lastSentBySub = new HashMap<>();
        private final PendingStates pendingStates = new PendingStates();

        void write(List<StoreOp> ops) throws SQLException {
            for (StoreOp op : ops) {
                write(op);
            }
            em.flush();
            lastSentBySub.forEach((subId, ack) -> em.createQuery(
                            Statements.UPDATE_LAST_SENT)
                    .setParameter("seq", ack.sequence())
                    .setParameter("c", ack.channelId())
                    .setParameter("sub", subId)
                    .executeUpdate());
            PendingDeletes.delete(em, dataSource, ackedBySub);
            pendingStates.write(dataSource);
        }

        private void write(StoreOp op) {
            if (op instanceof StoreOp.AddMessage || op instanceof StoreOp.AddPending) {
                return; // written by RowInserts, before everything else
            } else if (op instanceof StoreOp.AckPending a) {
                // deferred to the end: a pending row is never inserted again once acknowledged
                ackedBySub.computeIfAbsent(a.subId(), k -> new ArrayList<>()).add(a.sequence());
                if (a.recordLastSent()) {
                    lastSentBySub.merge(a.subId(), a, (old, now) -> now.sequence() > old.sequence() ? now : old);
                }
            } else if (op instanceof StoreOp.ReplacePending r) {
                pendingStates.add(r);
                ackedBySub.remove(r.subId());
            } else if (op instanceof StoreOp.AddClient add) {
                // a leftover row (e.g. after a crash) is replaced, as the Go store does
                execute(em.createQuery(Statements.DELETE_CLIENT).setParameter("id", add.clientId()));
                insert(new ClientRow(add.clientId(), add.hbInbox(), add.clientInfo()));
            } else if (op instanceof StoreOp.DeleteClient delete) {
                execute(em.createQuery(Statements.DELETE_CLIENT)
                        .setParameter("id", delete.clientId()));
            } else if (op instanceof StoreOp.CreateChannel c) {
                insert(new ChannelRow(c.channelId(), c.name(), c.maxMsgs(), c.maxBytes(), c.maxAge()));
            } else if (op instanceof StoreOp.CreateSubscription s) {
                insert(new SubscriptionRow(s.channelId(), s.subId(), s.subState()));
            } else if (op instanceof StoreOp.DeleteMessages d) {
                execute(em.createQuery(Statements.DELETE_MESSAGES_THROUGH)
                        .setParameter("c", d.channelId()).setParameter("s", d.throughSeq()));
            } else if (op instanceof StoreOp.RememberLastSequence r) {
                execute(em.createQuery(Statements.REMEMBER_LAST_SEQUENCE)
                        .setParameter("s", r.lastSeq()).setParameter("c", r.channelId()));
            } else if (op instanceof StoreOp.DeleteChannel d) {
                execute(em.createQuery(Statements.MARK_CHANNEL_DELETED)
                        .setParameter("c", d.channelId()));
            } else if (op instanceof StoreOp.UpdateSubscription u) {
                updateSubscription(u);
            } else if (op instanceof StoreOp.DeleteSubscription d) {
                deleteSubscription(d);
            } else if (op instanceof StoreOp.InitServer init) {
                initServer(init);
            } else {
                throw new IllegalArgumentException("unknown store operation " + op);
            }
        }

        private void initServer(StoreOp.InitServer init) {
            ServerInfoRow row = em.find(ServerInfoRow.class, 1);
            if (row == null) {
                insert(new ServerInfoRow(init.clusterId(), init.serverInfo()));
            } else {
                row.update(init.clusterId(), init.serverInfo());
            }
        }

        /** Go: update the proto; if no row was there, insert it. */
        private void updateSubscription(StoreOp.UpdateSubscription u) {
            int updated = execute(em.createQuery(
                            Statements.UPDATE_SUBSCRIPTION)
                    .setParameter("p", u.subState()).setParameter("c", u.channelId()).setParameter("sub", u.subId()));
            if (updated == 0) {
                insert(new SubscriptionRow(u.channelId(), u.subId(), u.subState()));
            }
        }

        private void deleteSubscription(StoreOp.DeleteSubscription d) {
            if (d.keepAsMarker()) {
                execute(em.createQuery(Statements.MARK_SUBSCRIPTION_DELETED)
                        .setParameter("c", d.channelId()).setParameter("sub", d.subId()));
            } else {
                execute(em.createQuery(Statements.DELETE_SUBSCRIPTION)
                        .setParameter("c", d.channelId()).setParameter("sub", d.subId()));
            }
            execute(em.createQuery(Statements.DELETE_PENDING).setParameter("sub", d.subId()));
            ackedBySub.remove(d.subId());
            lastSentBySub.remove(d.subId());
            pendingStates.forget(d.subId());
        }

        private void insert(Object row) {
            em.persist(row);
            unflushedInserts = true;
        }

        /** Runs a bulk statement after the inserts queued before it, so the database sees them in order. */
        private int execute(jakarta.persistence.Query statement) {
            if (unflushedInserts) {
                em.flush();
                unflushedInserts = false;
            }
            return statement.executeUpdate();
        }
    }
}
