package io.stanee.store.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelCipherTest {

    private static final byte[] PAYLOAD = "hello encrypted world".getBytes(StandardCharsets.UTF_8);

    private static ChannelCipher cipher(StoreCipher which, String key, String channel, long last) {
        return new ChannelCipher(which, MasterKey.of(null, key).channelKey(channel), last);
    }

    @ParameterizedTest
    @EnumSource(StoreCipher.class)
    void aPayloadComesBackAsItWasAndIsStoredInGosLayout(StoreCipher which) {
        ChannelCipher cipher = cipher(which, "secret", "orders", 41);
        byte[] stored = cipher.encrypt(PAYLOAD);
        assertEquals(which.code, stored[0], "the cipher's code first");
        assertEquals(1 + 12 + PAYLOAD.length + 16, stored.length, "code, nonce, ciphertext, 16-byte tag");
        assertEquals(42, stored[12], "the nonce's counter starts at the channel's last sequence + 1");
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("hello"), "not in the clear");
        assertArrayEquals(PAYLOAD, cipher.decrypt(stored));
    }

    @ParameterizedTest
    @EnumSource(StoreCipher.class)
    void everyPayloadGetsTheNextNonce(StoreCipher which) {
        ChannelCipher cipher = cipher(which, "secret", "orders", 255);
        byte[] first = cipher.encrypt(PAYLOAD);
        byte[] second = cipher.encrypt(PAYLOAD);
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 1, 0}, Arrays.copyOfRange(first, 5, 13));
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 1, 1}, Arrays.copyOfRange(second, 5, 13));
        assertNotEquals(Arrays.toString(first), Arrays.toString(second), "the same payload, another ciphertext");
    }

    @Test
    void eitherCipherIsReadWhateverTheConfiguredOne() {
        byte[] byChacha = cipher(StoreCipher.CHACHA, "secret", "orders", 0).encrypt(PAYLOAD);
        assertArrayEquals(PAYLOAD, cipher(StoreCipher.AES, "secret", "orders", 0).decrypt(byChacha),
                "the code byte picks the cipher, as in Go: a store can switch ciphers");
    }

    @ParameterizedTest
    @EnumSource(StoreCipher.class)
    void aWrongKeyFailsWithGosError(StoreCipher which) {
        byte[] stored = cipher(which, "secret", "orders", 0).encrypt(PAYLOAD);
        PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class,
                () -> cipher(which, "not the secret", "orders", 0).decrypt(stored));
        assertEquals(which == StoreCipher.AES ? "cipher: message authentication failed"
                : "chacha20poly1305: message authentication failed", e.getMessage());
    }

    @Test
    void anotherChannelsKeyDoesNotOpenIt() {
        byte[] stored = cipher(StoreCipher.AES, "secret", "orders", 0).encrypt(PAYLOAD);
        assertThrows(PayloadDecryptionException.class,
                () -> cipher(StoreCipher.AES, "secret", "orders2", 0).decrypt(stored));
    }

    @ParameterizedTest
    @EnumSource(StoreCipher.class)
    void alteredDataIsRefusedNotReturned(StoreCipher which) {
        ChannelCipher cipher = cipher(which, "secret", "orders", 0);
        for (int position : new int[]{5, 13, 20}) { // in the nonce, the ciphertext, the tag
            byte[] stored = cipher.encrypt(PAYLOAD);
            stored[stored.length > position ? position : stored.length - 1] ^= 0x01;
            assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(stored), "byte " + position);
        }
        byte[] stored = cipher.encrypt(PAYLOAD);
        byte[] tagFlipped = stored.clone();
        tagFlipped[tagFlipped.length - 1] ^= (byte) 0x80;
        assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(tagFlipped));
    }

    @Test
    void aPayloadTooShortToBeEncryptedFailsWithGosError() {
        byte[] stub = new byte[13];
        stub[0] = 1;
        PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class,
                () -> cipher(StoreCipher.AES, "secret", "orders", 0).decrypt(stub));
        assertEquals("trying to decrypt data that is not (len=13)", e.getMessage());
    }

    @Test
    void aPayloadStoredBeforeEncryptionPassesThrough() {
        byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertSame(plain, cipher(StoreCipher.AES, "secret", "orders", 0).decrypt(plain));
    }
}
