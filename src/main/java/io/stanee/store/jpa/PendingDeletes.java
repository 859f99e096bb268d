package io.stanee.store.jpa;

import jakarta.persistence.EntityManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Deletes the pending rows of acknowledged messages (no_caching mode), gathered per subscription over a batch.
 *
 * <p>PostgreSQL and MySQL take {@code DELETE ... WHERE subid = ? AND seq IN (...)}, one statement per
 * subscription and {@value #IN_CHUNK} sequences. Derby plans that statement as a walk over every row of the
 * subscription (the primary key's prefix), testing each against the whole list: with a thousand messages in
 * flight the deletes of one batch took about 20 ms, and Derby's no_caching mode ran at a fifth of its caching
 * mode. For Derby the rows go one by one instead, with the Go store's own statement ({@code subid = ? AND
 * seq = ?}, found through the seq index) sent as one JDBC batch: 4-6 ms for the same rows.
 */
final class PendingDeletes {

    private static final int IN_CHUNK = 500;

    private PendingDeletes() {
    }

    static void delete(EntityManager em, DataSource dataSource, Map<Long, List<Long>> sequencesBySub)
            throws SQLException {
        if (sequencesBySub.isEmpty()) {
            return;
        }
        if (SchemaGuard.Dialect.of(dataSource) != SchemaGuard.Dialect.DERBY) {
            sequencesBySub.forEach((subId, sequences) -> inLists(em, subId, sequences));
            return;
        }
        // in the transaction Liberty hands out the connection EclipseLink writes on: the statements stay in order
        try (Connection connection = dataSource.getConnection()) {
            oneByOne(connection, sequencesBySub);
        }
    }

    private static void inLists(EntityManager em, long subId, List<Long> sequences) {
        for (int from = 0; from < sequences.size(); from += IN_CHUNK) {
            List<Long> chunk = sequences.subList(from, Math.min(sequences.size(), from + IN_CHUNK));
            em.createQuery(Statements.DELETE_ACKED_PENDING)
                    .setParameter("sub", subId)
                    .setParameter("seqs", chunk)
                    .executeUpdate();
        }
    }

    private static void oneByOne(Connection connection, Map<Long, List<Long>> sequencesBySub) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(Statements.DELETE_ONE_PENDING)) {
            for (Map.Entry<Long, List<Long>> sub : sequencesBySub.entrySet()) {
                for (long sequence : sub.getValue()) {
                    delete.setLong(1, sub.getKey());
                    delete.setLong(2, sequence);
                    delete.addBatch();
                }
            }
            delete.executeBatch();
        }
    }
}
