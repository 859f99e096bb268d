package io.stanee.store.crypto;

import io.stanee.store.Store;
import io.stanee.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Go's rule (server.go: {@code Encrypt || len(EncryptionKey) > 0}) for when the store is wrapped. */
class StoreEncryptionTest {

    private final Store store = new MemoryStore();

    @Test
    void offUnlessAskedForOrGivenAKey() {
        assertSame(store, StoreEncryption.wrap(store, false, "", null, "a key in the environment"),
                "the variable alone does not turn encryption on");
        assertInstanceOf(EncryptedStore.class, StoreEncryption.wrap(store, false, "", "k", null),
                "a key option does, as --encryption_key does");
        assertInstanceOf(EncryptedStore.class, StoreEncryption.wrap(store, true, "chacha", null, "from env"));
    }

    @Test
    void encryptWithoutAKeyOrWithAnUnknownCipherFailsWithGosWords() {
        assertEquals("encryption key required", assertThrows(IllegalArgumentException.class,
                () -> StoreEncryption.wrap(store, true, "AES", null, null)).getMessage());
        assertEquals("encryption cipher not supported", assertThrows(IllegalArgumentException.class,
                () -> StoreEncryption.wrap(store, true, "3DES", "k", null)).getMessage());
    }
}
