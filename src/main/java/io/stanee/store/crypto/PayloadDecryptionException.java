package io.stanee.store.crypto;

import io.stanee.store.StoreException;

/**
 * A stored payload that cannot be decrypted with the configured key (Go's error text as the message): the read
 * fails rather than handing ciphertext to a client.
 */
public class PayloadDecryptionException extends StoreException {

    public PayloadDecryptionException(String message) {
        super(message);
    }
}
