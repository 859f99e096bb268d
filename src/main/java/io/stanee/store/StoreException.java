package io.stanee.store;

/** The store could not do what was asked (database down, timeout, constraint); nothing of the batch is kept. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
