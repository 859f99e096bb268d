package io.stanee.store.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MasterKeyTest {

    /**
     * Go's derivation for one case: SHA-256 of 39 zero bytes (32 + 1 + len("orders")), sha256("secret"), '.',
     * "orders". The hex was computed apart, with Python's hashlib; the Go server's own payloads are read in
     * {@code GoEncryptedPayloadsTest}.
     */
    @Test
    void theChannelKeyIsGosWithItsLeadingZeros() throws Exception {
        byte[] master = MessageDigest.getInstance("SHA-256").digest("secret".getBytes(StandardCharsets.UTF_8));
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        expected.update(new byte[39]);
        expected.update(master);
        expected.update((byte) '.');
        expected.update("orders".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected.digest(), MasterKey.of(null, "secret").channelKey("orders"));
        assertEquals("d2c9ab2d6057f3c25dbd3522ebe8339a8e0b457ed2909a2bdfcc4c423c2777bf",
                HexFormat.of().formatHex(MasterKey.of(null, "secret").channelKey("orders")));
    }

    @Test
    void theEnvironmentVariableWinsOverTheOption() {
        assertArrayEquals(MasterKey.of(null, "from-env").channelKey("c"),
                MasterKey.of("from-env", "from-option").channelKey("c"));
        assertArrayEquals(MasterKey.of(null, "from-option").channelKey("c"),
                MasterKey.of("", "from-option").channelKey("c"), "an empty variable counts as unset (Go)");
    }

    @Test
    void noKeyAtAllIsGosError() {
        assertEquals("encryption key required",
                assertThrows(IllegalArgumentException.class, () -> MasterKey.of(null, null)).getMessage());
        assertEquals("encryption key required",
                assertThrows(IllegalArgumentException.class, () -> MasterKey.of("", "")).getMessage());
    }

    @Test
    void cipherNamesAreGos() {
        assertEquals(StoreCipher.AES, StoreCipher.named("aes"));
        assertEquals(StoreCipher.CHACHA, StoreCipher.named("ChaCha"));
        assertEquals("encryption cipher not supported",
                assertThrows(IllegalArgumentException.class, () -> StoreCipher.named("DES")).getMessage());
    }
}
