package io.stanee.store.crypto;

import io.stanee.store.Store;

import java.util.logging.Logger;

/** Go's rule for whether and how the store is encrypted, from the options and the environment variable. */
public final class StoreEncryption {

    private static final Logger LOG = Logger.getLogger(StoreEncryption.class.getName());

    private StoreEncryption() {
    }

    /**
     * The store itself when encryption is off, else the store wrapped in an {@link EncryptedStore}. On when
     * {@code encrypt} is set or a key option is given (Go: {@code Encrypt || len(EncryptionKey) > 0}); the
     * environment variable's key wins over the option's, and alone it does not turn encryption on (as in Go).
     * Throws {@link IllegalArgumentException} with Go's words for an unknown cipher or a missing key.
     */
    public static Store wrap(Store store, boolean encrypt, String cipherName, String optionKey,
                             String environmentKey) {
        if (!encrypt && (optionKey == null || optionKey.isEmpty())) {
            return store;
        }
        StoreCipher cipher = StoreCipher.named(cipherName);
        MasterKey key = MasterKey.of(environmentKey, optionKey);
        LOG.info(() -> "message payloads are stored encrypted with " + cipher + " (key from "
                + (environmentKey != null && !environmentKey.isEmpty() ? MasterKey.ENV_NAME : "stan.encryption_key")
                + ")");
        return new EncryptedStore(store, cipher, key);
    }
}
