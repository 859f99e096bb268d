package io.stanee.store;

import jakarta.ejb.ApplicationException;

/**
 * The database holds no usable SQL store for this server: a table or column is missing, the schema version is
 * not the supported one, or the data belongs to another cluster ID. Retrying cannot help: the server refuses to
 * start and says what the operator has to do.
 */
@ApplicationException(rollback = true)
public class IncompatibleStoreException extends StoreException {

    public IncompatibleStoreException(String message) {
        super(message);
    }
}
