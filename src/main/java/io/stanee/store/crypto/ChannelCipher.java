package io.stanee.store.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;

/**
 * Encrypts and decrypts the payloads of one channel (Go's {@code EDStore}): writes with the configured cipher,
 * reads either (the code byte says which), and passes through a payload that does not start with a cipher code
 * (stored before encryption was turned on).
 */
final class ChannelCipher {

    static final int NONCE_SIZE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreCipher writeCipher;
    private final byte[] key;
    private final byte[] nonce = new byte[NONCE_SIZE];

    /** A channel whose last stored sequence is {@code lastSequence}: its first nonce counts from the next one. */
    ChannelCipher(StoreCipher writeCipher, byte[] key, long lastSequence) {
        this.writeCipher = writeCipher;
        this.key = key;
        RANDOM.nextBytes(nonce);
        long counter = lastSequence + 1;
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_SIZE - 8 + i] = (byte) (counter >>> (56 - 8 * i));
        }
    }

    /** {@code [code][nonce][ciphertext + tag]}; every call uses a new nonce (the counter goes up by one). */
    synchronized byte[] encrypt(byte[] data) {
        byte[] out = new byte[1 + NONCE_SIZE + data.length + TAG_BITS / 8];
        out[0] = writeCipher.code;
        System.arraycopy(nonce, 0, out, 1, NONCE_SIZE);
        try {
            Cipher cipher = cipher(writeCipher, Cipher.ENCRYPT_MODE, nonce);
            cipher.doFinal(data, 0, data.length, out, 1 + NONCE_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused " + writeCipher.transformation + ": " + e, e);
        }
        for (int i = NONCE_SIZE - 1; i >= 0 && ++nonce[i] == 0; i--) {
            // big-endian increment, carrying over
        }
        return out;
    }

    /**
     * The payload as published; the same array if it was not encrypted. Throws {@link PayloadDecryptionException}
     * with the Go server's words when it cannot be (too short, wrong key, altered).
     */
    byte[] decrypt(byte[] stored) {
        if (stored.length == 0) {
            return stored;
        }
        StoreCipher used = StoreCipher.ofCode(stored[0]);
        if (used == null) {
            return stored;
        }
        if (stored.length <= 1 + NONCE_SIZE) {
            throw new PayloadDecryptionException("trying to decrypt data that is not (len=" + stored.length + ")");
        }
        try {
            Cipher cipher = cipher(used, Cipher.DECRYPT_MODE, Arrays.copyOfRange(stored, 1, 1 + NONCE_SIZE));
            return cipher.doFinal(stored, 1 + NONCE_SIZE, stored.length - 1 - NONCE_SIZE);
        } catch (AEADBadTagException e) {
            throw new PayloadDecryptionException(used.authenticationFailed);
        } catch (GeneralSecurityException e) {
            throw new PayloadDecryptionException(used.name() + ": " + e.getMessage());
        }
    }

    private Cipher cipher(StoreCipher which, int mode, byte[] iv) throws GeneralSecurityException {
        // a new Cipher per call: instances are not thread-safe, and the JDK's GCM refuses to encrypt twice with
        // one key and IV on the same instance anyway
        Cipher cipher = Cipher.getInstance(which.transformation);
        AlgorithmParameterSpec parameters = which == StoreCipher.AES
                ? new GCMParameterSpec(TAG_BITS, iv) : new IvParameterSpec(iv);
        cipher.init(mode, new SecretKeySpec(key, which.keyAlgorithm), parameters);
        return cipher;
    }
}
