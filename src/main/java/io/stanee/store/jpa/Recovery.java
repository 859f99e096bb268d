package io.stanee.store.jpa;

import io.stanee.store.RecoveredState;
import io.stanee.store.IncompatibleStoreException;
import jakarta.persistence.EntityManager;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.spb.ServerProtocol.SubState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads what a restart needs from the tables (see docs: sql-store.md, "Recovery"). The subscriptions, their
 * SubsPending rows and the message ranges of the channels come in one query each: a query per channel and per
 * subscription through JPQL cost about 2 ms each, 4 s for 1,000 channels with 600 durables, most of a restart;
 * a prepared range query per channel still took about 0.4 s of the 0.7 s recovery of 1,013 channels, where the
 * one query takes 10-15 ms.
 */
final class Recovery {

    private final EntityManager em;
    private final DataSource dataSource;

    Recovery(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    RecoveredState read() throws SQLException {
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
        Map<Integer, List<SubscriptionRow>> subscriptionsByChannel = new HashMap<>();
        for (SubscriptionRow sub : em.createQuery(Statements.LIVE_SUBSCRIPTIONS, SubscriptionRow.class)
                .getResultList()) {
            subscriptionsByChannel.computeIfAbsent(sub.channelId(), k -> new ArrayList<>()).add(sub);
        }
        Map<Long, List<PendingRow>> pendingBySubscription = new HashMap<>();
        for (PendingRow row : em.createQuery(Statements.PENDING_ROWS, PendingRow.class).getResultList()) {
            pendingBySubscription.computeIfAbsent(row.subId(), k -> new ArrayList<>()).add(row);
        }
        List<RecoveredState.Channel> channels = new ArrayList<>();
        List<ChannelRow> channelRows = em.createQuery(Statements.LIVE_CHANNELS, ChannelRow.class).getResultList();
        if (channelRows.isEmpty()) {
            // not even prepared: MariaDB Connector/J fails closing a statement it never executed (in Liberty)
            return state(server, clients, channels);
        }
        Map<Integer, Range> ranges = ranges();
        for (ChannelRow row : channelRows) {
            List<RecoveredState.Subscription> subscriptions = new ArrayList<>();
            for (SubscriptionRow sub : subscriptionsByChannel.getOrDefault(row.id(), List.of())) {
                subscriptions.add(subscription(sub, pendingBySubscription.getOrDefault(sub.subId(), List.of())));
            }
            channels.add(channel(row, ranges.getOrDefault(row.id(), Range.EMPTY), subscriptions));
        }
        return state(server, clients, channels);
    }

    private RecoveredState state(ServerInfoRow server, List<RecoveredState.Client> clients,
                                 List<RecoveredState.Channel> channels) {
        Long maxSubId = em.createQuery(Statements.MAX_SUBSCRIPTION_ID, Long.class).getSingleResult();
        Integer maxChannelId = em.createQuery(Statements.MAX_CHANNEL_ID, Integer.class).getSingleResult();
        List<Integer> deleted = em.createQuery(Statements.DELETED_CHANNEL_IDS,
                Integer.class).getResultList();
        return new RecoveredState(server.proto(), clients, channels, maxSubId == null ? 0 : maxSubId,
                maxChannelId == null ? 0 : maxChannelId, deleted);
    }

    /** A channel's first and last stored sequence; {@code empty} when it holds no message. */
    private record Range(long min, long max, boolean empty) {
        static final Range EMPTY = new Range(0, 0, true);
    }

    /** Every channel's range, by channel ID, from the primary key's index: no message row is read. */
    private Map<Integer, Range> ranges() throws SQLException {
        Map<Integer, Range> ranges = new HashMap<>();
        // in the transaction Liberty hands out the connection EclipseLink reads on
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(Statements.MESSAGE_RANGES);
             ResultSet result = query.executeQuery()) {
            while (result.next()) {
                long min = result.getLong(2);
                boolean empty = result.wasNull();
                ranges.put(result.getInt(1), new Range(min, result.getLong(3), empty));
            }
        }
        return ranges;
    }

    private static RecoveredState.Channel channel(ChannelRow row, Range range,
                                                  List<RecoveredState.Subscription> subscriptions) {
        boolean empty = range.empty();
        long min = range.min();
        long maxSeq = Math.max(row.maxSeq(), empty ? 0 : range.max());
        for (RecoveredState.Subscription recovered : subscriptions) {
            maxSeq = Math.max(maxSeq, recovered.lastSent());
        }
        // an empty channel continues numbering after everything ever sent
        long first = empty ? maxSeq + 1 : min;
        return new RecoveredState.Channel(row.id(), row.name(), first, maxSeq, subscriptions);
    }

    /**
     * A subscription and its SubsPending rows, read in row order: one sequence per row in the no-caching layout,
     * JSON arrays of pending and acknowledged sequences in the caching layout (acks cancel what earlier rows
     * left pending).
     */
    private static RecoveredState.Subscription subscription(SubscriptionRow sub, List<PendingRow> rows) {
        TreeSet<Long> pending = new TreeSet<>();
        long lastSent = sub.lastSent();
        long maxRow = 0;
        for (PendingRow row : rows) {
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
