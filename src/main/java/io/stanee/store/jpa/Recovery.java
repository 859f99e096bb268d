package io.stanee.store.jpa;

import io.stanee.store.RecoveredState;
import io.stanee.store.StoreException;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.List;

/** Reads what a restart needs from the tables (see docs: sql-store.md, "Recovery"). */
final class Recovery {

    private final EntityManager em;

    Recovery(EntityManager em) {
        this.em = em;
    }

    RecoveredState read() {
        ServerInfoRow server = em.find(ServerInfoRow.class, 1);
        if (server == null) {
            return new RecoveredState(null, List.of(), List.of(), 0);
        }
        if (server.version() == null || server.version() != ServerInfoRow.SCHEMA_VERSION) {
            throw new StoreException(String.format("sql: unsupported version: %s (supports [1..%d])",
                    server.version(), ServerInfoRow.SCHEMA_VERSION));
        }
        List<RecoveredState.Client> clients = em.createQuery("SELECT c FROM ClientRow c", ClientRow.class)
                .getResultStream()
                .map(c -> new RecoveredState.Client(c.id(), c.hbInbox(), c.proto()))
                .toList();
        List<RecoveredState.Channel> channels = new ArrayList<>();
        for (ChannelRow row : em.createQuery("SELECT c FROM ChannelRow c WHERE c.deleted = FALSE ORDER BY c.id",
                ChannelRow.class).getResultList()) {
            channels.add(channel(row));
        }
        Long maxSubId = em.createQuery("SELECT MAX(s.subId) FROM SubscriptionRow s", Long.class).getSingleResult();
        return new RecoveredState(server.proto(), clients, channels, maxSubId == null ? 0 : maxSubId);
    }

    private RecoveredState.Channel channel(ChannelRow row) {
        Object[] totals = em.createQuery("SELECT MIN(m.seq), MAX(m.seq), COUNT(m), SUM(m.byteSize) FROM MessageRow m "
                        + "WHERE m.channelId = :c", Object[].class)
                .setParameter("c", row.id())
                .getSingleResult();
        long count = ((Number) totals[2]).longValue();
        long maxSeq = Math.max(row.maxSeq(), count == 0 ? 0 : ((Number) totals[1]).longValue());
        long first = count == 0 ? maxSeq + 1 : ((Number) totals[0]).longValue();
        long bytes = totals[3] == null ? 0 : ((Number) totals[3]).longValue();
        return new RecoveredState.Channel(row.id(), row.name(), first, maxSeq, count, bytes, List.of());
    }
}
