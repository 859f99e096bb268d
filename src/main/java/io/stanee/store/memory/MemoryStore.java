package io.stanee.store.memory;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.spb.ServerProtocol.SubState;
import io.stanee.store.LockAttempt;
import io.stanee.store.MessageSize;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreException;
import io.stanee.store.StoreLockLostException;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The Go SQL store's tables as maps, keyed as their primary keys: {@link #apply} changes them as
 * {@code JpaStore} changes the rows, and {@link #recover} reads them back as {@code Recovery} does. A batch is
 * atomic: every change records how to take it back, and a failing operation (a duplicate key, as a primary key
 * would refuse it) undoes those of the batch before it. Rows are immutable records, so that a change of a row
 * is one map entry replaced and every change is a put or a remove. Thread-safe (one monitor), which the
 * background count of {@link #messageTotals} does not need here: it is computed at once.
 */
public final class MemoryStore implements Store {

    /** Rows per round when a deleted channel is purged (the Go store's deep-delete batch, as JpaStore). */
    private static final int PURGE_ROUND = 1000;

    private record ServerRow(String clusterId, byte[] proto) { }

    private record ChannelRow(int id, String name, int maxMsgs, long maxBytes, long maxAge, long maxSeq,
                              boolean deleted) {

        ChannelRow withMaxSeq(long seq) {
            return new ChannelRow(id, name, maxMsgs, maxBytes, maxAge, seq, deleted);
        }

        ChannelRow markedDeleted() {
            return new ChannelRow(id, name, maxMsgs, maxBytes, maxAge, maxSeq, true);
        }
    }

    private record SubscriptionRow(long lastSent, byte[] proto, boolean deleted) { }

    /** A SubsPending row: one sequence (no-caching layout), or the pending sequences as a list (caching). */
    private record PendingRow(long seq, long lastSent, List<Long> pending) { }

    /** ServerInfo: one row, under key 1 (its uniquerow). */
    private final Map<Integer, ServerRow> serverInfo = new TreeMap<>();
    private final Map<String, RecoveredState.Client> clients = new LinkedHashMap<>();
    private final TreeMap<Integer, ChannelRow> channels = new TreeMap<>();
    /** Messages by channel ID, then sequence. */
    private final Map<Integer, TreeMap<Long, StoredMessage>> messages = new TreeMap<>();
    /** Subscriptions by channel ID, then subscription ID. */
    private final Map<Integer, TreeMap<Long, SubscriptionRow>> subscriptions = new TreeMap<>();
    /** SubsPending by subscription ID, then row. */
    private final Map<Long, TreeMap<Long, PendingRow>> pending = new TreeMap<>();
    /** StoreLock: null while the table has no row. */
    private String lockOwner;
    private long lockTick;

    /** How to take back each change of the batch being applied, the latest first. */
    private final Deque<Runnable> undo = new ArrayDeque<>();

    /** Maps have no schema to check. */
    @Override
    public StoredMessageLimit checkSchema() {
        return null;
    }

    @Override
    public synchronized RecoveredState recover() {
        ServerRow server = serverInfo.get(1);
        if (server == null) {
            return new RecoveredState(null, List.of(), List.of(), 0, 0, List.of());
        }
        List<RecoveredState.Channel> recovered = new ArrayList<>();
        List<Integer> deleted = new ArrayList<>();
        for (ChannelRow channel : channels.values()) {
            if (channel.deleted()) {
                deleted.add(channel.id());
            } else {
                recovered.add(recoverChannel(channel));
            }
        }
        long maxSubId = subscriptions.values().stream().filter(subs -> !subs.isEmpty())
                .mapToLong(TreeMap::lastKey).max().orElse(0);
        int maxChannelId = channels.isEmpty() ? 0 : channels.lastKey();
        return new RecoveredState(server.proto(), List.copyOf(clients.values()), recovered, maxSubId, maxChannelId,
                deleted);
    }

    /** As Recovery: the range from the messages, numbering continued after everything ever sent. */
    private RecoveredState.Channel recoverChannel(ChannelRow channel) {
        NavigableMap<Long, StoredMessage> stored = messagesOf(channel.id());
        long maxSeq = Math.max(channel.maxSeq(), stored.isEmpty() ? 0 : stored.lastKey());
        List<RecoveredState.Subscription> subs = new ArrayList<>();
        subscriptionsOf(channel.id()).forEach((subId, row) -> {
            if (!row.deleted()) {
                subs.add(recoverSubscription(subId, row));
            }
        });
        for (RecoveredState.Subscription sub : subs) {
            maxSeq = Math.max(maxSeq, sub.lastSent());
        }
        long first = stored.isEmpty() ? maxSeq + 1 : stored.firstKey();
        return new RecoveredState.Channel(channel.id(), channel.name(), first, maxSeq, subs);
    }

    /** The pending rows in row order; the last sent sequence from every source (columns, rows, proto). */
    private RecoveredState.Subscription recoverSubscription(long subId, SubscriptionRow row) {
        TreeSet<Long> unacknowledged = new TreeSet<>();
        long lastSent = Math.max(row.lastSent(), protoLastSent(row.proto()));
        long maxRow = 0;
        for (Map.Entry<Long, PendingRow> entry : pending.getOrDefault(subId, new TreeMap<>()).entrySet()) {
            PendingRow pendingRow = entry.getValue();
            maxRow = Math.max(maxRow, entry.getKey());
            lastSent = Math.max(lastSent, Math.max(pendingRow.lastSent(), pendingRow.seq()));
            if (pendingRow.seq() > 0) {
                unacknowledged.add(pendingRow.seq());
            }
            unacknowledged.addAll(pendingRow.pending());
        }
        return new RecoveredState.Subscription(subId, row.proto(), lastSent, List.copyOf(unacknowledged), maxRow);
    }

    private static long protoLastSent(byte[] proto) {
        try {
            return proto == null ? 0 : SubState.parseFrom(proto).getLastSent();
        } catch (InvalidProtocolBufferException e) {
            return 0; // reported when the server restores the subscription
        }
    }

    @Override
    public synchronized void apply(StoreBatch batch) {
        if (batch.requiredLockOwner() != null && !batch.requiredLockOwner().equals(lockOwner)) {
            throw new StoreLockLostException("ft: the store lock is held by "
                    + (lockOwner == null || lockOwner.isEmpty() ? "nobody" : "\"" + lockOwner + "\"")
                    + ", not by this server: nothing written");
        }
        undo.clear();
        try {
            batch.ops().forEach(this::write);
        } catch (RuntimeException e) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            throw e instanceof StoreException failure ? failure : new StoreException(String.valueOf(e), e);
        } finally {
            undo.clear();
        }
    }

    private void write(StoreOp op) {
        if (op instanceof StoreOp.InitServer init) {
            put(serverInfo, 1, new ServerRow(init.clusterId(), init.serverInfo()));
        } else if (op instanceof StoreOp.AddClient add) {
            put(clients, add.clientId(), new RecoveredState.Client(add.clientId(), add.hbInbox(), add.clientInfo()));
        } else if (op instanceof StoreOp.DeleteClient delete) {
            remove(clients, delete.clientId());
        } else if (op instanceof StoreOp.CreateChannel c) {
            insert("Channels", channels, c.channelId(),
                    new ChannelRow(c.channelId(), c.name(), c.maxMsgs(), c.maxBytes(), c.maxAge(), 0, false));
        } else if (op instanceof StoreOp.DeleteMessages d) {
            TreeMap<Long, StoredMessage> stored = messagesOf(d.channelId());
            new ArrayList<>(stored.headMap(d.throughSeq(), true).keySet()).forEach(seq -> remove(stored, seq));
        } else if (op instanceof StoreOp.RememberLastSequence r) {
            update(channels, r.channelId(), row -> row.withMaxSeq(r.lastSeq()));
        } else if (op instanceof StoreOp.DeleteChannel d) {
            update(channels, d.channelId(), ChannelRow::markedDeleted);
        } else if (op instanceof StoreOp.AddMessage m) {
            insert("Messages", messagesOf(m.channelId()), m.sequence(),
                    new StoredMessage(m.sequence(), m.timestamp(), m.data()));
        } else if (op instanceof StoreOp.CreateSubscription s) {
            insert("Subscriptions", subscriptionsOf(s.channelId()), s.subId(),
                    new SubscriptionRow(0, s.subState(), false));
        } else if (op instanceof StoreOp.UpdateSubscription u) {
            TreeMap<Long, SubscriptionRow> subs = subscriptionsOf(u.channelId());
            SubscriptionRow row = subs.get(u.subId());
            // Go: update the proto; if no row was there, insert it
            put(subs, u.subId(), row == null ? new SubscriptionRow(0, u.subState(), false)
                    : new SubscriptionRow(row.lastSent(), u.subState(), row.deleted()));
        } else if (op instanceof StoreOp.DeleteSubscription d) {
            if (d.keepAsMarker()) {
                update(subscriptionsOf(d.channelId()), d.subId(), row -> new SubscriptionRow(row.lastSent(),
                        row.proto(), true));
            } else {
                remove(subscriptionsOf(d.channelId()), d.subId());
            }
            removeAllPending(d.subId());
        } else if (op instanceof StoreOp.AddPending p) {
            insert("SubsPending", pendingOf(p.subId()), p.row(), new PendingRow(p.sequence(), 0, List.of()));
        } else if (op instanceof StoreOp.ReplacePending r) {
            removeAllPending(r.subId());
            insert("SubsPending", pendingOf(r.subId()), r.row(),
                    new PendingRow(0, r.lastSent(), List.copyOf(r.pending())));
            update(subscriptionsOf(r.channelId()), r.subId(), row -> new SubscriptionRow(r.lastSent(), row.proto(),
                    row.deleted()));
        } else if (op instanceof StoreOp.AckPending a) {
            TreeMap<Long, PendingRow> rows = pendingOf(a.subId());
            rows.entrySet().stream().filter(e -> e.getValue().seq() == a.sequence()).map(Map.Entry::getKey)
                    .toList().forEach(row -> remove(rows, row));
            if (a.recordLastSent()) {
                update(subscriptionsOf(a.channelId()), a.subId(), row -> new SubscriptionRow(
                        Math.max(row.lastSent(), a.sequence()), row.proto(), row.deleted()));
            }
        } else {
            throw new IllegalArgumentException("unknown store operation " + op);
        }
    }

    private void removeAllPending(long subId) {
        TreeMap<Long, PendingRow> rows = pendingOf(subId);
        new ArrayList<>(rows.keySet()).forEach(row -> remove(rows, row));
    }

    private TreeMap<Long, StoredMessage> messagesOf(int channelId) {
        return messages.computeIfAbsent(channelId, id -> new TreeMap<>());
    }

    private TreeMap<Long, SubscriptionRow> subscriptionsOf(int channelId) {
        return subscriptions.computeIfAbsent(channelId, id -> new TreeMap<>());
    }

    private TreeMap<Long, PendingRow> pendingOf(long subId) {
        return pending.computeIfAbsent(subId, id -> new TreeMap<>());
    }

    // The only changes a batch makes: each records its undo.

    /** An INSERT: a row already under the key fails the batch, as the primary key would. */
    private <K, V> void insert(String name, Map<K, V> table, K key, V row) {
        if (table.containsKey(key)) {
            throw new StoreException("duplicate key " + key + " in " + name);
        }
        put(table, key, row);
    }

    /** An UPDATE of the row under the key, if there is one. */
    private <K, V> void update(Map<K, V> table, K key, java.util.function.UnaryOperator<V> change) {
        V row = table.get(key);
        if (row != null) {
            put(table, key, change.apply(row));
        }
    }

    private <K, V> void put(Map<K, V> table, K key, V row) {
        boolean existed = table.containsKey(key);
        V before = table.put(key, row);
        undo.push(() -> {
            if (existed) {
                table.put(key, before);
            } else {
                table.remove(key);
            }
        });
    }

    private <K, V> void remove(Map<K, V> table, K key) {
        if (table.containsKey(key)) {
            V before = table.remove(key);
            undo.push(() -> table.put(key, before));
        }
    }

    @Override
    public synchronized boolean purgeDeletedChannel(int channelId) {
        List<Long> withPending = subscriptionsOf(channelId).keySet().stream()
                .filter(subId -> !pending.getOrDefault(subId, new TreeMap<>()).isEmpty())
                .limit(PURGE_ROUND).toList();
        if (!withPending.isEmpty()) {
            withPending.forEach(pending::remove);
            return false;
        }
        TreeMap<Long, StoredMessage> stored = messagesOf(channelId);
        if (!stored.isEmpty()) {
            for (int i = 0; i < PURGE_ROUND && !stored.isEmpty(); i++) {
                stored.pollFirstEntry();
            }
            return false;
        }
        subscriptions.remove(channelId);
        messages.remove(channelId);
        ChannelRow channel = channels.get(channelId);
        if (channel != null && channel.deleted()) {
            channels.remove(channelId);
        }
        return true;
    }

    @Override
    public synchronized List<StoredMessage> messages(int channelId, long fromSeq, int max) {
        return messagesOf(channelId).tailMap(fromSeq, true).values().stream().limit(max).toList();
    }

    @Override
    public synchronized List<MessageSize> messageSizes(int channelId, long fromSeq, int max) {
        return messages(channelId, fromSeq, max).stream()
                .map(m -> new MessageSize(m.sequence(), m.data().length))
                .toList();
    }

    @Override
    public synchronized Future<List<MessageTotals>> messageTotals(List<StoredRange> ranges) {
        List<MessageTotals> totals = new ArrayList<>(ranges.size());
        for (StoredRange range : ranges) {
            long count = 0;
            long bytes = 0;
            if (range.first() <= range.last()) {
                for (StoredMessage m : messagesOf(range.channelId()).subMap(range.first(), true, range.last(), true)
                        .values()) {
                    count++;
                    bytes += m.data().length;
                }
            }
            totals.add(new MessageTotals(count, bytes));
        }
        return CompletableFuture.completedFuture(totals);
    }

    @Override
    public synchronized boolean channelStored(int channelId) {
        return channels.containsKey(channelId);
    }

    @Override
    public synchronized long lastSequence(int channelId) {
        TreeMap<Long, StoredMessage> stored = messagesOf(channelId);
        return stored.isEmpty() ? 0 : stored.lastKey();
    }

    @Override
    public synchronized MessagesUpTo messagesUpTo(int channelId, long timestamp) {
        long count = 0;
        long maxSeq = 0;
        long bytes = 0;
        for (StoredMessage m : messagesOf(channelId).values()) {
            if (m.timestamp() <= timestamp) {
                count++;
                maxSeq = Math.max(maxSeq, m.sequence());
                bytes += m.data().length;
            }
        }
        return new MessagesUpTo(count, maxSeq, bytes);
    }

    @Override
    public synchronized long firstSequenceAtOrAfter(int channelId, long timestamp) {
        return messagesOf(channelId).values().stream().filter(m -> m.timestamp() >= timestamp)
                .mapToLong(StoredMessage::sequence).min().orElse(0);
    }

    /** The Go store's acquireDBLock: absent, free, own or stolen: taken, its tick raised. */
    @Override
    public synchronized LockAttempt acquireLock(String lockId, boolean steal) {
        String owner = lockOwner == null ? "" : lockOwner;
        long tick = lockTick;
        if (lockOwner != null && !steal && !owner.isEmpty() && !owner.equals(lockId)) {
            return new LockAttempt(false, owner, tick);
        }
        lockOwner = lockId;
        lockTick = (steal ? 0 : tick) + 1; // a steal restarts the tick, as in Go
        return new LockAttempt(true, owner, tick);
    }

    @Override
    public synchronized void releaseLock(String lockId) {
        if (lockId.equals(lockOwner)) {
            lockOwner = "";
            lockTick = 0;
        }
    }
}
