package io.stanee.store.jpa;

import io.stanee.store.RecoveredState;
import io.stanee.store.IncompatibleStoreException;
import jakarta.persistence.EntityManager;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.spb.ServerProtocol.SubState;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Reads what a restart needs from the tables (see docs: sql-store.md, "Recovery"). */
final class Recovery {

    private final EntityManager em;

    Recovery(EntityManager em) {
        this.em = em;
    }

    RecoveredState read() {
        ServerInfoRow server = em.find(ServerInfoRow.class, 1);
        if (server == null) {
            return new RecoveredState(null, List.of(), List.of(), 0, 0, List.of());
        }
        if (server.version() == null || server.version() != ServerInfoRow.SCHEMA_VERSION) {
            throw new IncompatibleStoreException(String.format("sql: unsupported version: %s (supports [1..%d])",
                    server.version(), ServerInfoRow.SCHEMA_VERSION));
        }
        List<RecoveredState.Client> clients = em.createQuery(Statements.ALL_CLIENTS, ClientRow.class)
                .getResultStream()
                .map(c -> new RecoveredState.Client(c.id(), c.hbInbox(), c.proto()))
                .toList();
        List<RecoveredState.Channel> channels = new ArrayList<>();
        for (ChannelRow row : em.createQuery(Statements.LIVE_CHANNELS,
                ChannelRow.class).getResultList()) {
            channels.add(channel(row));
        }
        Long maxSubId = em.createQuery(Statements.MAX_SUBSCRIPTION_ID, Long.class).getSingleResult();
        Integer maxChannelId = em.createQuery(Statements.MAX_CHANNEL_ID, Integer.class).getSingleResult();
        List<Integer> deleted = em.createQuery(Statements.DELETED_CHANNEL_IDS,
                Integer.class).getResultList();
        return new RecoveredState(server.proto(), clients, channels, maxSubId == null ? 0 : maxSubId,
                maxChannelId == null ? 0 : maxChannelId, deleted);
    }

    /** The first and last sequence come from the primary key's index: no row is read. */
    private RecoveredState.Channel channel(ChannelRow row) {
        Object[] range = em.createQuery(Statements.MESSAGE_RANGE,
                        Object[].class)
                .setParameter("c", row.id())
                .getSingleResult();
        boolean empty = range[0] == null;
        long maxSeq = Math.max(row.maxSeq(), empty ? 0 : ((Number) range[1]).longValue());
        List<RecoveredState.Subscription> subscriptions = new ArrayList<>();
        for (SubscriptionRow sub : em.createQuery(Statements.LIVE_SUBSCRIPTIONS, SubscriptionRow.class).setParameter("c", row.id())
                .getResultList()) {
            RecoveredState.Subscription recovered = subscription(sub);
            subscriptions.add(recovered);
            maxSeq = Math.max(maxSeq, recovered.lastSent());
        }
        // an empty channel continues numbering after everything ever sent
        long first = empty ? maxSeq + 1 : ((Number) range[0]).longValue();
        return new RecoveredState.Channel(row.id(), row.name(), first, maxSeq, subscriptions);
    }

    /**
     * A subscription and its SubsPending rows, read in row order: one sequence per row in the no-caching layout,
     * JSON arrays of pending and acknowledged sequences in the caching layout (acks cancel what earlier rows
     * left pending).
     */
    private RecoveredState.Subscription subscription(SubscriptionRow sub) {
        TreeSet<Long> pending = new TreeSet<>();
        long lastSent = sub.lastSent();
        long maxRow = 0;
        for (PendingRow row : em.createQuery(Statements.PENDING_ROWS,
                PendingRow.class).setParameter("s", sub.subId()).getResultList()) {
            maxRow = Math.max(maxRow, row.row());
            lastSent = Math.max(lastSent, row.lastSent());
            if (row.seq() > 0) {
                pending.add(row.seq());
                lastSent = Math.max(lastSent, row.seq());
            }
            pending.addAll(JsonSequences.parse(row.pending()));
            pending.removeAll(JsonSequences.parse(row.acks()));
        }
        long protoLastSent = 0;
        try {
            protoLastSent = sub.proto() == null ? 0 : SubState.parseFrom(sub.proto()).getLastSent();
        } catch (InvalidProtocolBufferException e) {
            // an undecodable proto is reported when the server restores the subscription
        }
        lastSent = Math.max(lastSent, protoLastSent);
        return new RecoveredState.Subscription(sub.subId(), sub.proto(), lastSent, List.copyOf(pending), maxRow);
    }
}
