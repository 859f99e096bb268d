package io.stanee.store;

/**
 * The database connection broke (or could not be opened) before the transaction was committed, so nothing of the
 * work was kept: the database discards the open transaction of a connection that is gone, and a read writes
 * nothing. Unlike a failure at COMMIT, whose outcome is unknown, this work may be done again on a fresh
 * connection. Typical case: the first use of a pooled connection after a database restart
 * ({@code FATAL: terminating connection due to administrator command}, SQL state 57P01).
 */
public class StoreConnectionLost extends StoreException {

    public StoreConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
