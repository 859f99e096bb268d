package io.stanee.store.crypto;

import java.util.Locale;

/** The two ciphers of the Go crypto store, with the code that prefixes every payload they encrypted. */
public enum StoreCipher {

    AES((byte) 1, "AES/GCM/NoPadding", "AES", "cipher: message authentication failed"),
    CHACHA((byte) 2, "ChaCha20-Poly1305", "ChaCha20", "chacha20poly1305: message authentication failed");

    /** The Go server's error for a cipher name it does not know. */
    public static final String NOT_SUPPORTED = "encryption cipher not supported";

    final byte code;
    final String transformation;
    final String keyAlgorithm;
    /** What Go's AEAD says when a payload does not authenticate (wrong key, altered data). */
    final String authenticationFailed;

    StoreCipher(byte code, String transformation, String keyAlgorithm, String authenticationFailed) {
        this.code = code;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.authenticationFailed = authenticationFailed;
    }

    /**
     * The cipher named by the {@code encryption_cipher} option, case-insensitive. An empty name picks as Go
     * does: AES on Intel (hardware AES), ChaCha20-Poly1305 elsewhere (ARM).
     */
    public static StoreCipher named(String name) {
        if (name == null || name.isEmpty()) {
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.matches("i[3-6]86")
                    ? AES : CHACHA;
        }
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "AES" -> AES;
            case "CHACHA" -> CHACHA;
            default -> throw new IllegalArgumentException(NOT_SUPPORTED);
        };
    }

    /** The cipher whose code starts a stored payload, or null: such a payload was stored unencrypted. */
    static StoreCipher ofCode(byte code) {
        for (StoreCipher cipher : values()) {
            if (cipher.code == code) {
                return cipher;
            }
        }
        return null;
    }
}
