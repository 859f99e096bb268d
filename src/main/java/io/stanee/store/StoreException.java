package io.stanee.store;

import jakarta.ejb.ApplicationException;

/**
 * The store could not do what was asked (database down, timeout, constraint); nothing of the batch is kept.
 * An application exception, so that callers of the store EJB get it as it is, the transaction rolled back.
 */
@ApplicationException(rollback = true)
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
