package io.stanee.store;

import jakarta.ejb.ApplicationException;

/**
 * A batch was refused because the fault-tolerance lock it required belongs to another server now: this server
 * must stop serving, and nothing of the batch was written.
 */
@ApplicationException(rollback = true)
public class StoreLockLostException extends StoreException {

    public StoreLockLostException(String message) {
        super(message);
    }
}
