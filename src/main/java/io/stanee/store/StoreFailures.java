package io.stanee.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.net.SocketTimeoutException;
import java.util.Set;

/**
 * Tells a database that is out of reach from a batch the database refused. The first fails every request of a
 * batch alike (retrying them one by one would only wait for the same timeout once per request: minutes for a
 * batch of a thousand during a failover); the second is worth isolating, since only some requests may be at
 * fault (a value too long, a duplicate key).
 */
public final class StoreFailures {

    /**
     * SQL states of a lost or refused connection (class 08), a server going down or not up yet (PostgreSQL 57P01,
     * 57P02, 57P03), and a statement cancelled by its timeout (PostgreSQL 57014, MySQL/MariaDB 70100).
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "57014", "70100");

    /** SQL states of a connection the server ended or refused: shut down, crashed, starting up or shutting down. */
    private static final Set<String> SERVER_GONE_STATES = Set.of("57P01", "57P02", "57P03");

    /** A statement cancelled by its timeout: PostgreSQL's query_canceled, MySQL/MariaDB's interrupted query. */
    private static final Set<String> TIMEOUT_STATES = Set.of("57014", "70100");

    /** JTA's word that the commit did not happen as asked, or that nobody knows whether it did. */
    private static final Set<String> UNKNOWN_OUTCOME = Set.of("jakarta.transaction.HeuristicMixedException",
            "jakarta.transaction.HeuristicRollbackException", "jakarta.transaction.RollbackException");

    private StoreFailures() {
    }

    /** Whether anything in the failure's cause chain says the database could not be reached or timed out. */
    public static boolean unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StoreConnectionLost || cause instanceof SQLTimeoutException
                    || cause instanceof SQLTransientConnectionException || cause instanceof SocketTimeoutException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException
                    || UNKNOWN_OUTCOME.contains(cause.getClass().getName())) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure is a connection that broke or could not be opened (SQL state class 08, PostgreSQL's
     * 57P01-03, the JDBC connection exception types), and not a timeout: a statement or socket that waited too
     * long says the database hangs, and trying again would only wait as long once more.
     */
    public static boolean connectionLost(Throwable failure) {
        if (timedOut(failure)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof StoreConnectionLost || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GONE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether anything in the cause chain is a timeout: a statement cancelled by its timeout, a socket read that
     * got no answer (the driver then reports a broken connection, 08006, caused by the socket timeout), or no
     * pooled connection free within the pool's wait.
     */
    public static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLTimeoutException || cause instanceof SocketTimeoutException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && TIMEOUT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
